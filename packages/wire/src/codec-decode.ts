/**
 * The batch decoder (the format is described in codec.ts). It checks every length against
 * the input, allocates in proportion to the input, and reports garbage as a CodecError.
 */
import type { ColumnData, StrVec } from './codec-batch';
import {
  CODEC_VERSION,
  CodecError,
  type DecodeResult,
  isSigned,
  schemaHash,
  Tag,
  unzz,
} from './codec-format';
import { ByteReader, readVarints, ShortInput } from './codec-io';
import type { Column } from './columns';

export interface DecodeOptions {
  /** refuse batches with more rows (bounds what a tiny hostile payload can make us allocate) */
  maxRows?: number;
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
