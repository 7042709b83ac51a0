/**
 * Binary columnar batch codec for the agent -> API link.
 *
 *   header: 'Z' 'S' version(1) schemaHash(u32le) rows(varint) columns(varint)
 *   column: tag(u8) bodyLength(varint) body
 *
 * Integers travel as varints (zigzag for signed, delta when smaller), low-cardinality and
 * repetitive strings as a dictionary plus codes, other strings as lengths then bytes, IPs
 * as 4 or 16 bytes. The decoder checks every length against the input, allocates in
 * proportion to the input, and reports garbage as a CodecError instead of throwing.
 */

import type { ColumnBatch, ColumnData, StrVec } from './codec-batch';
import { ByteReader, ByteWriter, encodeInto, ShortInput, utf8Length } from './codec-io';
import { ipToBytes } from './codec-ip';
import type { Column, ColumnType } from './columns';

export * from './codec-batch';
export { bytesToIp, ipToBytes } from './codec-ip';

export const CODEC_VERSION = 1;

enum Tag {
  IntConst = 1,
  IntPlain = 2,
  IntDelta = 3,
  F64 = 4,
  StrConst = 5,
  StrPlain = 6,
  StrDict = 7,
  Ip = 8,
  IpConst = 9,
  List = 10,
}

export class CodecError extends Error {
  constructor(
    readonly code: 'bad_header' | 'schema_mismatch' | 'too_many_rows' | 'bad_column' | 'truncated',
    message: string,
  ) {
    super(message);
    this.name = 'CodecError';
  }
}

export type DecodeResult = { ok: true; batch: ColumnBatch } | { ok: false; error: CodecError };

export interface EncodeStats {
  /** values replaced by their column's zero because they had the wrong type or range */
  invalidValues: number;
}

/** FNV-1a over "name:type;" so both ends agree on the column list without sending it. */
export function schemaHash(columns: readonly Column[]): number {
  let h = 0x811c9dc5;
  for (const c of columns) {
    const s = `${c.name}:${c.type};`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  return h >>> 0;
}

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

const isSigned = (t: ColumnType) => t === 'i64';
const zz = (v: number) => (v < 0 ? -2 * v - 1 : 2 * v);
// Below 2^32 with bit operations: `%` on a double is a call to fmod, per value.
const unzz = (z: number) => (z < 0x100000000 ? (z >>> 1) ^ -(z & 1) : z % 2 === 1 ? -(z + 1) / 2 : z / 2);

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
  const start = () => {
    w.ensure(8);
    const at = w.pos;
    w.pos += 1; // placeholder length byte; fixed up below
    return at;
  };
  if (useDict) {
    w.u8(Tag.StrDict);
    const at = start();
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
  const at = w.pos++;
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

export interface DecodeOptions {
  /** refuse batches with more rows (bounds what a tiny hostile payload can make us allocate) */
  maxRows?: number;
}

/**
 * `n` unsigned varints from buf[p, end) into out; returns the position after them. The same
 * checks as ByteReader.varint, in one loop without a call per value (most of decode time).
 */
function readVarints(buf: Uint8Array, p: number, end: number, out: Float64Array, n: number): number {
  for (let i = 0; i < n; i++) {
    if (p >= end) throw new ShortInput('truncated varint');
    let b = buf[p++]!;
    if (b < 0x80) {
      out[i] = b;
      continue;
    }
    let v = b & 0x7f;
    let mul = 0x80;
    for (let k = 1; ; k++) {
      if (k === 8) throw new ShortInput('varint longer than 8 bytes');
      if (p >= end) throw new ShortInput('truncated varint');
      b = buf[p++]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) break;
      mul *= 0x80;
    }
    if (v > Number.MAX_SAFE_INTEGER) throw new ShortInput('varint exceeds 2^53');
    out[i] = v;
  }
  return p;
}

/** Dictionary codes, each checked against the dictionary size before it is stored. */
function readCodes(
  buf: Uint8Array,
  p: number,
  end: number,
  out: Uint32Array,
  size: number,
  name: string,
): number {
  for (let i = 0; i < out.length; i++) {
    if (p >= end) throw new ShortInput('truncated varint');
    let c = buf[p++]!;
    if (c >= 0x80) {
      // codes above 2^21 cannot be in a dictionary of a batch this size: read them slowly
      p = readVarints(buf, p - 1, end, codeScratchF64, 1);
      c = codeScratchF64[0]!;
    }
    if (c >= size) throw new ShortInput(`column ${name}: code ${c} outside dictionary of ${size}`);
    out[i] = c;
  }
  return p;
}
const codeScratchF64 = new Float64Array(1);

function readStrVec(r: ByteReader, count: number, bodyEnd: number): StrVec {
  // every length takes at least one byte, so a count beyond the body is garbage
  if (count > bodyEnd - r.pos) throw new ShortInput(`string count ${count} exceeds column body`);
  const offsets = new Uint32Array(count + 1);
  const buf = r.buf;
  let p = r.pos;
  let total = 0;
  for (let i = 0; i < count; i++) {
    let len: number;
    if (p < bodyEnd && buf[p]! < 0x80) len = buf[p++]!;
    else {
      p = readVarints(buf, p, bodyEnd, codeScratchF64, 1);
      len = codeScratchF64[0]!;
    }
    total += len;
    if (total > bodyEnd - p) throw new ShortInput('string lengths exceed column body');
    offsets[i + 1] = total;
  }
  r.pos = p;
  return { data: r.take(total).slice(), offsets };
}

function decodeColumn(r: ByteReader, col: Column, rows: number): ColumnData {
  const tag = r.u8();
  const len = r.varint();
  if (len > r.remaining) throw new ShortInput(`column ${col.name}: body of ${len} bytes exceeds input`);
  const end = r.pos + len;
  const body = new ByteReader(r.buf, r.pos, end);
  const isInt =
    col.type === 'u8' || col.type === 'u16' || col.type === 'u32' || col.type === 'u64' || col.type === 'i64';
  const isStr = col.type === 'string' || col.type === 'lowcard';
  const signed = isSigned(col.type);
  const fromWire = (z: number) => (signed ? unzz(z) : z);
  let data: ColumnData;
  if (isInt && tag === Tag.IntConst) data = { kind: 'const', value: fromWire(body.varint()) };
  else if (isInt && (tag === Tag.IntPlain || tag === Tag.IntDelta)) {
    if (rows > len) throw new ShortInput(`column ${col.name}: ${rows} rows need at least ${rows} bytes`);
    const values = new Float64Array(rows);
    body.pos = readVarints(body.buf, body.pos, end, values, rows);
    if (tag === Tag.IntPlain) {
      if (signed) for (let i = 0; i < rows; i++) values[i] = unzz(values[i]!);
    } else if (rows > 0) {
      let v = fromWire(values[0]!);
      values[0] = v;
      for (let i = 1; i < rows; i++) {
        v += unzz(values[i]!);
        values[i] = v;
      }
    }
    data = { kind: 'num', values };
  } else if (col.type === 'f64' && tag === Tag.F64) {
    if (len !== rows * 8) throw new ShortInput(`column ${col.name}: f64 body must be ${rows * 8} bytes`);
    const values = new Float64Array(rows);
    for (let i = 0; i < rows; i++) values[i] = body.f64();
    data = { kind: 'num', values };
  } else if (isStr && tag === Tag.StrConst) {
    data = { kind: 'sconst', value: body.take(body.varint()).slice() };
  } else if (isStr && tag === Tag.StrPlain) {
    data = { kind: 'str', vec: readStrVec(body, rows, end) };
  } else if (isStr && tag === Tag.StrDict) {
    const dict = readStrVec(body, body.varint(), end);
    if (rows > body.remaining) throw new ShortInput(`column ${col.name}: codes shorter than ${rows} rows`);
    const codes = new Uint32Array(rows);
    const size = dict.offsets.length - 1;
    body.pos = readCodes(body.buf, body.pos, end, codes, size, col.name);
    data = { kind: 'dict', dict, codes };
  } else if (col.type === 'ip' && (tag === Tag.Ip || tag === Tag.IpConst)) {
    const n = tag === Tag.IpConst ? 1 : rows;
    if (n > len) throw new ShortInput(`column ${col.name}: ${n} addresses need at least ${n} bytes`);
    const out = new Uint8Array(n * 16);
    // Byte by byte from the input: a subarray per address made most of this column's cost.
    const src = body.buf;
    let p = body.pos;
    for (let i = 0; i < n; i++) {
      if (p >= end) throw new ShortInput(`column ${col.name}: truncated address ${i}`);
      const fam = src[p++]!;
      const o = i * 16;
      const w = fam === 4 ? 4 : fam === 6 ? 16 : 0;
      if (fam !== 0 && w === 0) throw new ShortInput(`column ${col.name}: address family ${fam}`);
      if (end - p < w) throw new ShortInput(`column ${col.name}: truncated address ${i}`);
      if (fam === 4) {
        out[o + 10] = 0xff;
        out[o + 11] = 0xff;
      }
      for (let k = 16 - w; k < 16; k++) out[o + k] = src[p++]!;
    }
    body.pos = p;
    data = tag === Tag.IpConst ? { kind: 'ipconst', value: out } : { kind: 'ip', data: out };
  } else if (col.type === 'strings' && tag === Tag.List) {
    if (rows > len) throw new ShortInput(`column ${col.name}: ${rows} rows need at least ${rows} bytes`);
    const rowOffsets = new Uint32Array(rows + 1);
    let items = 0;
    for (let i = 0; i < rows; i++) {
      items += body.varint();
      if (items > end - body.pos) throw new ShortInput(`column ${col.name}: item count exceeds body`);
      rowOffsets[i + 1] = items;
    }
    data = { kind: 'list', rowOffsets, items: readStrVec(body, items, end) };
  } else {
    throw new CodecError('bad_column', `column ${col.name} (${col.type}): unexpected encoding tag ${tag}`);
  }
  if (body.pos !== end)
    throw new CodecError('bad_column', `column ${col.name}: ${end - body.pos} trailing bytes`);
  r.pos = end;
  return data;
}

/** Decodes a batch encoded for `columns`; never throws. */
export function decodeBatch(
  columns: readonly Column[],
  input: Uint8Array,
  opts: DecodeOptions = {},
): DecodeResult {
  const maxRows = opts.maxRows ?? 100_000;
  try {
    const r = new ByteReader(input);
    if (r.remaining < 7 || r.u8() !== 0x5a || r.u8() !== 0x53)
      return { ok: false, error: new CodecError('bad_header', 'not a zeroscope batch (bad magic)') };
    const version = r.u8();
    if (version !== CODEC_VERSION)
      return { ok: false, error: new CodecError('bad_header', `unsupported codec version ${version}`) };
    const hash = r.u32le();
    if (hash !== schemaHash(columns))
      return {
        ok: false,
        error: new CodecError('schema_mismatch', 'batch was encoded for another column list'),
      };
    const rows = r.varint();
    if (rows > maxRows)
      return {
        ok: false,
        error: new CodecError('too_many_rows', `batch of ${rows} rows exceeds ${maxRows}`),
      };
    const ncols = r.varint();
    if (ncols !== columns.length)
      return {
        ok: false,
        error: new CodecError('schema_mismatch', `${ncols} columns, expected ${columns.length}`),
      };
    const data: ColumnData[] = [];
    for (const col of columns) data.push(decodeColumn(r, col, rows));
    if (r.remaining !== 0)
      return {
        ok: false,
        error: new CodecError('bad_column', `${r.remaining} trailing bytes after last column`),
      };
    return { ok: true, batch: { rows, columns, data } };
  } catch (err) {
    if (err instanceof CodecError) return { ok: false, error: err };
    const msg = err instanceof Error ? err.message : String(err);
    return { ok: false, error: new CodecError('truncated', msg) };
  }
}
