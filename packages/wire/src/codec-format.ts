/**
 * What both ends of the batch codec share (the format itself is described in codec.ts):
 * version, column tags, errors, the schema hash and the zigzag mapping of signed integers.
 */
import type { ColumnBatch } from './codec-batch';
import type { Column, ColumnType } from './columns';

export const CODEC_VERSION = 1;

/** column body encodings */
export enum Tag {
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

export const isSigned = (t: ColumnType) => t === 'i64';
export const zz = (v: number) => (v < 0 ? -2 * v - 1 : 2 * v);
// Below 2^32 with bit operations: `%` on a double is a call to fmod, per value.
export const unzz = (z: number) =>
  z < 0x100000000 ? (z >>> 1) ^ -(z & 1) : z % 2 === 1 ? -(z + 1) / 2 : z / 2;
