/** The batch encoder (the format is described in codec.ts). */
import { CODEC_VERSION, type EncodeStats, isSigned, schemaHash, Tag, zz } from './codec-format';
import { ByteWriter, encodeInto, utf8Length } from './codec-io';
import { ipToBytes } from './codec-ip';
import type { Column, ColumnType } from './columns';

const SIGNED_LIMIT = 2 ** 52;

// Scratch state reused from batch to batch (the encoder is synchronous): a fresh array per
// column and batch made most of the agent's garbage-collection time (bench/ingest).
let codeScratch = new Uint32Array(4096);
const dictScratch = new Map<string, number>();
const ipScratch = new Uint8Array(16);
const ipSeen = new Map<string, number>();
const seenScratch = new Set<string>();

function codesOf(n: number): Uint32Array {
  if (codeScratch.length < n) codeScratch = new Uint32Array(n);
  return codeScratch;
}

const isIntType = (t: ColumnType) => t === 'u8' || t === 'u16' || t === 'u32' || t === 'u64' || t === 'i64';

type Transpose = (rs: readonly Record<string, unknown>[], nums: Float64Array[], vals: unknown[][]) => number;

/** Every field of every record, column by column, in scratch columns kept per column list. */
interface Transposer {
  fn: Transpose;
  /** integer columns (by column index; empty for others), non-numbers as 0 */
  nums: Float64Array[];
  /** the other columns' raw values (by column index; empty for integer columns) */
  vals: unknown[][];
  capacity: number;
}
const transposers = new WeakMap<readonly Column[], Transposer>();
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * One pass over the records reads all their fields (generated per column list, so every
 * property load has a static name and stays monomorphic); a pass per column over records of
 * ~70 fields missed the cache on every load. Returns the scratch columns, valid until the
 * next batch of this column list, and counts non-numbers in integer columns as invalid.
 */
function transpose(
  columns: readonly Column[],
  records: readonly Record<string, unknown>[],
  stats: EncodeStats,
): Transposer {
  let t = transposers.get(columns);
  if (!t) {
    const lines = columns.map((c, j) => {
      const get = IDENT.test(c.name) ? `r.${c.name}` : `r[${JSON.stringify(c.name)}]`;
      return isIntType(c.type)
        ? `v = ${get}; if (typeof v === 'number') n${j}[i] = v; else { n${j}[i] = 0; if (v !== undefined) bad++; }`
        : `a${j}[i] = ${get};`;
    });
    const heads = columns.map((c, j) =>
      isIntType(c.type) ? `const n${j} = nums[${j}];` : `const a${j} = vals[${j}];`,
    );
    const fn = new Function(
      'rs',
      'nums',
      'vals',
      `${heads.join('\n')}
       let bad = 0, v;
       for (let i = 0, n = rs.length; i < n; i++) { const r = rs[i];
         ${lines.join('\n')}
       }
       return bad;`,
    ) as Transpose;
    t = { fn, nums: [], vals: [], capacity: 0 };
    transposers.set(columns, t);
  }
  if (t.capacity < records.length) {
    t.capacity = Math.max(records.length, 1024);
    t.nums = columns.map((c) => new Float64Array(isIntType(c.type) ? t!.capacity : 0));
    t.vals = columns.map(() => []);
  }
  stats.invalidValues += t.fn(records, t.nums, t.vals);
  return t;
}

/** varint bytes of a value below 2^32, by its count of leading zero bits */
const SIZE_BY_CLZ = Uint8Array.from({ length: 33 }, (_, clz) => Math.max(1, Math.ceil((32 - clz) / 7)));

function varintSize(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  if (v < 0x800000000) return 5;
  if (v < 0x40000000000) return 6;
  if (v < 0x2000000000000) return 7;
  return 8;
}

function intValues(nums: Float64Array, n: number, col: Column, stats: EncodeStats): Float64Array {
  const out = nums.subarray(0, n);
  const signed = isSigned(col.type);
  const max =
    col.type === 'u8' ? 0xff : col.type === 'u16' ? 0xffff : col.type === 'u32' ? 0xffffffff : 2 ** 53;
  const min = signed ? -SIGNED_LIMIT : 0;
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!;
    if (v === 0) continue;
    if (v < min || v > max || (signed && v >= SIGNED_LIMIT) || !Number.isInteger(v)) {
      stats.invalidValues++;
      out[i] = 0;
    }
  }
  return out;
}

function encodeInt(w: ByteWriter, vals: Float64Array, signed: boolean): void {
  const n = vals.length;
  const v0 = n > 0 ? vals[0]! : 0;
  let i = 1;
  while (i < n && vals[i] === v0) i++;
  if (i >= n) {
    const v = signed ? zz(v0) : v0;
    w.u8(Tag.IntConst);
    w.varint(varintSize(v));
    w.varint(v);
    return;
  }
  let plain = 0;
  if (signed)
    for (let j = 0; j < n; j++) {
      const v = vals[j]!;
      const z = v < 0 ? -2 * v - 1 : 2 * v;
      plain += z < 0x100000000 ? SIZE_BY_CLZ[Math.clz32(z)]! : varintSize(z);
    }
  else
    for (let j = 0; j < n; j++) {
      const v = vals[j]!;
      plain += v < 0x100000000 ? SIZE_BY_CLZ[Math.clz32(v)]! : varintSize(v);
    }
  let delta = varintSize(signed ? zz(v0) : v0);
  let deltaOk = true;
  let prev = v0;
  // Deltas only win when they end up smaller: stop counting once they cannot.
  for (let j = 1; j < n && delta < plain; j++) {
    const v = vals[j]!;
    const d = v - prev;
    prev = v;
    if (d >= SIGNED_LIMIT || d <= -SIGNED_LIMIT) {
      deltaOk = false;
      break;
    }
    const z = d < 0 ? -2 * d - 1 : 2 * d;
    delta += z < 0x100000000 ? SIZE_BY_CLZ[Math.clz32(z)]! : varintSize(z);
  }
  const useDelta = deltaOk && delta < plain;
  w.u8(useDelta ? Tag.IntDelta : Tag.IntPlain);
  w.varint(useDelta ? delta : plain);
  w.ensure((useDelta ? delta : plain) + 8);
  const buf = w.buf;
  let p = w.pos;
  prev = 0;
  for (let j = 0; j < n; j++) {
    const v = vals[j]!;
    let z: number;
    if (useDelta && j > 0) {
      const d = v - prev;
      z = d < 0 ? -2 * d - 1 : 2 * d;
    } else z = signed ? (v < 0 ? -2 * v - 1 : 2 * v) : v;
    prev = v;
    if (z < 0x80) buf[p++] = z;
    else if (z < 0x100000000) {
      while (z >= 0x80) {
        buf[p++] = (z & 0x7f) | 0x80;
        z >>>= 7;
      }
      buf[p++] = z;
    } else {
      while (z >= 0x80) {
        buf[p++] = (z % 0x80) | 0x80;
        z = Math.floor(z / 0x80);
      }
      buf[p++] = z;
    }
  }
  w.pos = p;
}

function encodeF64(w: ByteWriter, vals: unknown[], n: number, stats: EncodeStats): void {
  w.u8(Tag.F64);
  w.varint(n * 8);
  for (let i = 0; i < n; i++) {
    const v = vals[i];
    if (typeof v === 'number' && Number.isFinite(v)) w.f64(v);
    else {
      if (v !== undefined) stats.invalidValues++;
      w.f64(0);
    }
  }
}

function strValues(out: unknown[], n: number, stats: EncodeStats): string[] {
  for (let i = 0; i < n; i++) {
    if (typeof out[i] === 'string') continue;
    if (out[i] !== undefined) stats.invalidValues++;
    out[i] = '';
  }
  return out as string[];
}

function encodeStrings(w: ByteWriter, vals: string[], n: number, alwaysDict: boolean): void {
  const first = n > 0 ? vals[0]! : '';
  let constant = true;
  for (let i = 1; i < n && constant; i++) if (vals[i] !== first) constant = false;
  if (constant) {
    w.u8(Tag.StrConst);
    const len = utf8Length(first);
    w.varint(varintSize(len) + len);
    w.varint(len);
    w.utf8(first);
    return;
  }
  // A dictionary pays off when values repeat; judge from a prefix, and give up early once
  // they mostly don't.
  if (!alwaysDict && n >= 256) {
    const seen = seenScratch;
    seen.clear();
    for (let i = 0; i < 128; i++) seen.add(vals[i]!);
    if (seen.size > 64) {
      encodePlainStrings(w, vals, n);
      return;
    }
  }
  const limit = alwaysDict ? n : n >> 2;
  const dict = dictScratch;
  dict.clear();
  const codes = codesOf(n);
  let useDict = true;
  for (let i = 0; i < n; i++) {
    const v = vals[i]!;
    let code = dict.get(v);
    if (code === undefined) {
      if (dict.size >= limit) {
        useDict = false;
        break;
      }
      code = dict.size;
      dict.set(v, code);
    }
    codes[i] = code;
  }
  if (useDict) {
    w.u8(Tag.StrDict);
    w.ensure(8);
    const at = w.pos++; // one byte for the body's length varint: fixLength writes it (and widens it if needed)
    w.varint(dict.size);
    for (const k of dict.keys()) w.varint(utf8Length(k));
    for (const k of dict.keys()) w.utf8(k);
    for (let i = 0; i < n; i++) w.varint(codes[i]!);
    fixLength(w, at);
    return;
  }
  encodePlainStrings(w, vals, n);
}

let byteScratch = new Uint8Array(1 << 16);
const textEncoder = new TextEncoder();
let lenScratch = new Uint32Array(4096);

function encodePlainStrings(w: ByteWriter, vals: string[], n: number): void {
  w.u8(Tag.StrPlain);
  w.ensure(8);
  const at = w.pos++; // the body's length varint, written by fixLength
  // Bytes first (their lengths fall out of the copy), then the lengths, then one copy of the
  // bytes: one pass over each string's characters instead of a length pass and a copy pass.
  let room = 0;
  for (let i = 0; i < n; i++) room += vals[i]!.length * 3;
  if (byteScratch.length < room) byteScratch = new Uint8Array(room);
  // ASCII columns (ids, hex trace ids): one native UTF-8 encode of all the strings joined,
  // and each length is the string's own; otherwise string by string below.
  const joined = (vals.length === n ? vals : vals.slice(0, n)).join('');
  const all = textEncoder.encodeInto(joined, byteScratch);
  if (all.written === joined.length && all.read === joined.length) {
    for (let i = 0; i < n; i++) w.varint(vals[i]!.length);
    w.bytes(byteScratch.subarray(0, all.written));
    fixLength(w, at);
    return;
  }
  if (lenScratch.length < n) lenScratch = new Uint32Array(n);
  const bytes = byteScratch;
  const lens = lenScratch;
  let p = 0;
  for (let i = 0; i < n; i++) {
    const k = encodeInto(vals[i]!, bytes, p);
    lens[i] = k;
    p += k;
  }
  for (let i = 0; i < n; i++) w.varint(lens[i]!);
  w.bytes(bytes.subarray(0, p));
  fixLength(w, at);
}

/** Moves the body right so the real varint body length fits where one byte was reserved. */
function fixLength(w: ByteWriter, at: number): void {
  const bodyStart = at + 1;
  const len = w.pos - bodyStart;
  const size = varintSize(len);
  if (size > 1) {
    w.ensure(size - 1);
    w.buf.copyWithin(bodyStart + size - 1, bodyStart, w.pos);
    w.pos += size - 1;
  }
  let v = len;
  let p = at;
  while (v >= 0x80) {
    w.buf[p++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  w.buf[p] = v;
}

function encodeIps(w: ByteWriter, vals: unknown[], n: number, stats: EncodeStats): void {
  const first = n > 0 ? vals[0] : '';
  let constant = true;
  for (let i = 1; i < n && constant; i++) if (vals[i] !== first) constant = false;
  const tmp = ipScratch;
  const put = (v: unknown) => {
    if (typeof v !== 'string' || !ipToBytes(v, tmp)) {
      if (v !== undefined && v !== '') stats.invalidValues++;
      w.u8(0);
      return;
    }
    let v4 = tmp[10] === 0xff && tmp[11] === 0xff;
    for (let k = 0; k < 10 && v4; k++) if (tmp[k] !== 0) v4 = false;
    w.ensure(17);
    const b = w.buf;
    let p = w.pos;
    b[p++] = v4 ? 4 : 6;
    for (let k = v4 ? 12 : 0; k < 16; k++) b[p++] = tmp[k]!;
    w.pos = p;
  };
  w.u8(constant ? Tag.IpConst : Tag.Ip);
  w.ensure(8);
  const at = w.pos++;
  if (constant) put(first);
  else {
    const seen = ipSeen;
    seen.clear();
    let last: unknown;
    let lastAt = -1;
    let lastLen = 0;
    for (let i = 0; i < n; i++) {
      const v = vals[i];
      // Consecutive rows often repeat an IP: copy the previous encoding instead of reparsing.
      if (v === last && lastAt >= 0) {
        w.ensure(lastLen);
        w.buf.copyWithin(w.pos, lastAt, lastAt + lastLen);
        w.pos += lastLen;
        continue;
      }
      // An address seen earlier in the batch: copy its encoding (a map hit costs less than
      // parsing the text again). Only valid ones are kept, so bad ones are counted each time.
      const seenAt = typeof v === 'string' ? seen.get(v) : undefined;
      if (seenAt !== undefined) {
        const len = w.buf[seenAt] === 4 ? 5 : 17;
        w.ensure(len);
        const b = w.buf;
        for (let k = 0; k < len; k++) b[w.pos + k] = b[seenAt + k]!;
        lastAt = w.pos;
        w.pos += len;
        lastLen = len;
        last = v;
        continue;
      }
      lastAt = w.pos;
      put(v);
      lastLen = w.pos - lastAt;
      last = v;
      if (lastLen > 1 && seen.size < 4096) seen.set(v as string, lastAt);
    }
  }
  fixLength(w, at);
}

function encodeList(w: ByteWriter, vals: unknown[], n: number, stats: EncodeStats): void {
  w.u8(Tag.List);
  w.ensure(8);
  const at = w.pos++;
  let items = 0;
  for (let i = 0; i < n; i++) {
    const v = vals[i];
    if (Array.isArray(v)) {
      if (v.length > 0) vals[i] = v.map((s) => (typeof s === 'string' ? s : String(s)));
      items += v.length;
    } else {
      if (v !== undefined) stats.invalidValues++;
      vals[i] = undefined;
    }
  }
  if (items === 0) {
    // every row empty (the usual case): one zero count per row
    w.ensure(n);
    w.buf.fill(0, w.pos, w.pos + n);
    w.pos += n;
  } else for (let i = 0; i < n; i++) w.varint((vals[i] as string[] | undefined)?.length ?? 0);
  if (items > 0) {
    for (let i = 0; i < n; i++)
      for (const s of (vals[i] as string[] | undefined) ?? []) w.varint(utf8Length(s));
    for (let i = 0; i < n; i++) for (const s of (vals[i] as string[] | undefined) ?? []) w.utf8(s);
  }
  fixLength(w, at);
}

// One writer for every batch, grown to the largest batch seen (a fresh one per batch was
// allocated, zeroed and regrown every time); each result is copied out at its exact size.
let batchWriter = new ByteWriter(1 << 16);

/**
 * Encodes records column by column; fields missing from a record encode as the column's zero.
 * `prefix` bytes (e.g. a frame header) go first in the same buffer, saving a copy.
 */
export function encodeBatch(
  columns: readonly Column[],
  records: readonly Record<string, unknown>[],
  stats: EncodeStats = { invalidValues: 0 },
  prefix?: Uint8Array,
): Uint8Array {
  const w = batchWriter;
  w.pos = 0;
  if (prefix) w.bytes(prefix);
  w.u8(0x5a);
  w.u8(0x53);
  w.u8(CODEC_VERSION);
  w.u32le(schemaHash(columns));
  w.varint(records.length);
  w.varint(columns.length);
  const n = records.length;
  const { nums, vals } = transpose(columns, records, stats);
  for (let j = 0; j < columns.length; j++) {
    const col = columns[j]!;
    switch (col.type) {
      case 'u8':
      case 'u16':
      case 'u32':
      case 'u64':
      case 'i64':
        encodeInt(w, intValues(nums[j]!, n, col, stats), isSigned(col.type));
        break;
      case 'f64':
        encodeF64(w, vals[j]!, n, stats);
        break;
      case 'string':
      case 'lowcard':
        encodeStrings(w, strValues(vals[j]!, n, stats), n, col.type === 'lowcard');
        break;
      case 'ip':
        encodeIps(w, vals[j]!, n, stats);
        break;
      case 'strings':
        encodeList(w, vals[j]!, n, stats);
        break;
    }
  }
  const out = w.buf.slice(0, w.pos);
  if (w.buf.length > 1 << 24) batchWriter = new ByteWriter(1 << 16);
  return out;
}
