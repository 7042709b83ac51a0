/**
 * ClickHouse Native format (one block per batch) straight from the decoded columnar batch:
 * column-major like the wire, so each column is one tight loop and strings are copied as
 * bytes. Low-cardinality columns go out as String; the INSERT converts them.
 */

import type { ColumnBatch, ColumnData } from '@zeroscope/wire/codec';
import type { Column } from '@zeroscope/wire/columns';
import { clickhouseType } from './schema';

function nativeType(col: Column): string {
  const t = clickhouseType(col);
  return t === 'LowCardinality(String)' ? 'String' : t;
}

const varintLen = (v: number) => (v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5);

function fixedWidth(type: string): number {
  switch (type) {
    case 'UInt8':
      return 1;
    case 'UInt16':
      return 2;
    case 'UInt32':
      return 4;
    case 'IPv6':
      return 16;
    case 'String':
    case 'Array(String)':
      return 0;
    default:
      return 8; // UInt64, Int64, Float64, DateTime64(6)
  }
}

function stringBytes(d: ColumnData, rows: number): number {
  switch (d.kind) {
    case 'str': {
      let n = d.vec.data.length;
      for (let i = 0; i < rows; i++) n += varintLen(d.vec.offsets[i + 1]! - d.vec.offsets[i]!);
      return n;
    }
    case 'sconst':
      return rows * (varintLen(d.value.length) + d.value.length);
    case 'dict': {
      let n = 0;
      const o = d.dict.offsets;
      for (let i = 0; i < rows; i++) {
        const c = d.codes[i]!;
        const len = o[c + 1]! - o[c]!;
        n += varintLen(len) + len;
      }
      return n;
    }
    default:
      return rows; // empty strings for a mismatched column
  }
}

class Out {
  readonly buf: Buffer;
  pos = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  varint(v: number): void {
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
  }
  str(s: string): void {
    const n = Buffer.byteLength(s);
    this.varint(n);
    this.pos += this.buf.write(s, this.pos);
  }
  bytes(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

function writeNumbers(out: Out, d: ColumnData, rows: number, type: string): void {
  const width = fixedWidth(type);
  const bytes = rows * width;
  const at = out.pos;
  out.pos += bytes;
  if (d.kind !== 'num') {
    const v = d.kind === 'const' ? d.value : 0;
    if (v === 0) {
      out.buf.fill(0, at, at + bytes);
      return;
    }
    writeNumbers(
      { buf: out.buf, pos: at } as Out,
      { kind: 'num', values: new Float64Array(rows).fill(v) },
      rows,
      type,
    );
    return;
  }
  // Build the column in an aligned typed array (native conversion, little-endian like
  // ClickHouse), then copy it into the block once.
  const vals = d.values.subarray(0, rows);
  let col: ArrayBufferView;
  if (type === 'Float64') col = vals;
  else if (width === 1) col = converted(new Uint8Array(rows), vals);
  else if (width === 2) col = converted(new Uint16Array(rows), vals);
  else if (width === 4) col = converted(new Uint32Array(rows), vals);
  else {
    const u = new Uint32Array(rows * 2);
    for (let i = 0; i < rows; i++) {
      const v = vals[i]!;
      if (v >= 0) {
        u[2 * i] = v % 0x100000000;
        u[2 * i + 1] = v / 0x100000000;
      } else {
        const big = BigInt.asUintN(64, BigInt(v));
        u[2 * i] = Number(big & 0xffffffffn);
        u[2 * i + 1] = Number(big >> 32n);
      }
    }
    col = u;
  }
  out.buf.set(new Uint8Array(col.buffer, col.byteOffset, bytes), at);
}

/** Copies short strings byte by byte: cheaper than a subarray + set per value. */
function copyStr(dst: Buffer, p: number, src: Uint8Array, s: number, e: number): number {
  let len = e - s;
  if (len < 0x80) dst[p++] = len;
  else {
    while (len >= 0x80) {
      dst[p++] = (len & 0x7f) | 0x80;
      len >>>= 7;
    }
    dst[p++] = len;
  }
  if (e - s > 48) {
    dst.set(src.subarray(s, e), p);
    return p + e - s;
  }
  for (let i = s; i < e; i++) dst[p++] = src[i]!;
  return p;
}

function writeStrings(out: Out, d: ColumnData, rows: number): void {
  const b = out.buf;
  let p = out.pos;
  if (d.kind === 'str') {
    const { data, offsets } = d.vec;
    for (let i = 0; i < rows; i++) p = copyStr(b, p, data, offsets[i]!, offsets[i + 1]!);
  } else if (d.kind === 'sconst') {
    for (let i = 0; i < rows; i++) p = copyStr(b, p, d.value, 0, d.value.length);
  } else if (d.kind === 'dict') {
    const { data, offsets } = d.dict;
    const codes = d.codes;
    for (let i = 0; i < rows; i++) {
      const c = codes[i]!;
      p = copyStr(b, p, data, offsets[c]!, offsets[c + 1]!);
    }
  } else {
    b.fill(0, p, p + rows);
    p += rows;
  }
  out.pos = p;
}

function columnBytes(col: Column, d: ColumnData, rows: number): number {
  const type = nativeType(col);
  const w = fixedWidth(type);
  if (w > 0) return rows * w;
  if (type === 'String') return stringBytes(d, rows);
  if (d.kind !== 'list') return rows * 8;
  let n = rows * 8 + d.items.data.length;
  const items = d.items.offsets.length - 1;
  for (let i = 0; i < items; i++) n += varintLen(d.items.offsets[i + 1]! - d.items.offsets[i]!);
  return n;
}

/** Encodes batches (sharing one column list) as consecutive Native blocks. */
export function encodeNative(batches: readonly ColumnBatch[]): Buffer {
  let size = 0;
  for (const batch of batches) {
    size += 16;
    batch.columns.forEach((c, i) => {
      size += 2 * 64 + c.name.length + columnBytes(c, batch.data[i]!, batch.rows);
    });
  }
  const out = new Out(size);
  for (const batch of batches) {
    const rows = batch.rows;
    out.varint(batch.columns.length);
    out.varint(rows);
    batch.columns.forEach((col, i) => {
      const d = batch.data[i]!;
      const type = nativeType(col);
      out.str(col.name);
      out.str(type);
      if (type === 'String') writeStrings(out, d, rows);
      else if (type === 'IPv6') {
        if (d.kind === 'ip') out.bytes(d.data.subarray(0, rows * 16));
        else
          for (let r = 0; r < rows; r++)
            d.kind === 'ipconst' ? out.bytes(d.value) : out.bytes(new Uint8Array(16));
      } else if (type === 'Array(String)') {
        let p = out.pos;
        for (let r = 0; r < rows; r++, p += 8) {
          const end = d.kind === 'list' ? d.rowOffsets[r + 1]! : 0;
          out.buf.writeUInt32LE(end, p);
          out.buf.writeUInt32LE(0, p + 4);
        }
        out.pos = p;
        if (d.kind === 'list') {
          const n = d.items.offsets.length - 1;
          writeStrings(out, { kind: 'str', vec: d.items }, n);
        }
      } else writeNumbers(out, d, rows, type);
    });
  }
  return out.buf.subarray(0, out.pos);
}

export function nativeColumnList(columns: readonly Column[]): string {
  return columns.map((c) => `\`${c.name}\``).join(', ');
}

/** Typed-array `set` converts natively (truncating like ClickHouse's unsigned ints). */
function converted<T extends Uint8Array | Uint16Array | Uint32Array>(dst: T, src: Float64Array): T {
  dst.set(src);
  return dst;
}
