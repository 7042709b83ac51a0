/**
 * The decoded, columnar form of a batch: what the API validates, coalesces and writes to
 * ClickHouse without ever rebuilding row objects. Strings stay UTF-8 bytes end to end.
 */

import { bytesToIp } from './codec-ip';
import type { Column } from './columns';

/** n strings as one byte buffer plus n+1 offsets into it. */
export interface StrVec {
  data: Uint8Array;
  offsets: Uint32Array;
}

export type ColumnData =
  | { kind: 'num'; values: Float64Array }
  | { kind: 'const'; value: number }
  | { kind: 'str'; vec: StrVec }
  | { kind: 'sconst'; value: Uint8Array }
  | { kind: 'dict'; dict: StrVec; codes: Uint32Array }
  | { kind: 'ip'; data: Uint8Array } // 16 bytes per row
  | { kind: 'ipconst'; value: Uint8Array }
  | { kind: 'list'; rowOffsets: Uint32Array; items: StrVec };

export interface ColumnBatch {
  rows: number;
  columns: readonly Column[];
  data: ColumnData[];
}

const utf8 = new TextDecoder();

export function strAt(vec: StrVec, i: number): string {
  return utf8.decode(vec.data.subarray(vec.offsets[i]!, vec.offsets[i + 1]!));
}

/** One cell as a JS value (tests, debugging, small result sets; not the hot path). */
export function cellAt(col: ColumnData, row: number): number | string | string[] {
  switch (col.kind) {
    case 'num':
      return col.values[row]!;
    case 'const':
      return col.value;
    case 'str':
      return strAt(col.vec, row);
    case 'sconst':
      return utf8.decode(col.value);
    case 'dict':
      return strAt(col.dict, col.codes[row]!);
    case 'ip':
      return bytesToIp(col.data, row * 16);
    case 'ipconst':
      return bytesToIp(col.value, 0);
    case 'list': {
      const out: string[] = [];
      for (let j = col.rowOffsets[row]!; j < col.rowOffsets[row + 1]!; j++) out.push(strAt(col.items, j));
      return out;
    }
  }
}

export function batchToRecords(batch: ColumnBatch): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let r = 0; r < batch.rows; r++) {
    const rec: Record<string, unknown> = {};
    batch.columns.forEach((c, i) => {
      rec[c.name] = cellAt(batch.data[i]!, r);
    });
    out.push(rec);
  }
  return out;
}

/** Replaces (or appends) a column with a constant number, e.g. the API-assigned agent_id. */
export function withConstColumn(batch: ColumnBatch, column: Column, value: number): ColumnBatch {
  const idx = batch.columns.findIndex((c) => c.name === column.name);
  const columns = [...batch.columns];
  const data = [...batch.data];
  if (idx >= 0) data[idx] = { kind: 'const', value };
  else {
    columns.push(column);
    data.push({ kind: 'const', value });
  }
  return { rows: batch.rows, columns, data };
}
