/** Column batches built from plain JS arrays, for intake rows (spans, logs, samples, names). */
import type { ColumnBatch, ColumnData, StrVec } from '@zeroscope/wire/codec';
import type { Column } from '@zeroscope/wire/columns';

const enc = new TextEncoder();

export function strVec(values: readonly string[]): StrVec {
  const parts = values.map((s) => enc.encode(s));
  const offsets = new Uint32Array(parts.length + 1);
  let n = 0;
  parts.forEach((p, i) => {
    offsets[i] = n;
    n += p.length;
  });
  offsets[parts.length] = n;
  const data = new Uint8Array(n);
  parts.forEach((p, i) => {
    data.set(p, offsets[i]!);
  });
  return { data, offsets };
}

export type CellValues = Float64Array | number[] | string[] | string[][];

/** One batch from columns of values (numbers for numeric types, strings, string lists). */
export function columnBatch(
  columns: readonly Column[],
  values: Record<string, CellValues>,
  rows: number,
): ColumnBatch {
  const data: ColumnData[] = columns.map((c): ColumnData => {
    const v = values[c.name];
    switch (c.type) {
      case 'string':
      case 'lowcard':
        return v ? { kind: 'str', vec: strVec(v as string[]) } : { kind: 'sconst', value: new Uint8Array() };
      case 'strings': {
        const lists = (v as string[][] | undefined) ?? [];
        const rowOffsets = new Uint32Array(rows + 1);
        const items: string[] = [];
        for (let i = 0; i < rows; i++) {
          rowOffsets[i] = items.length;
          items.push(...(lists[i] ?? []));
        }
        rowOffsets[rows] = items.length;
        return { kind: 'list', rowOffsets, items: strVec(items) };
      }
      case 'ip':
        return { kind: 'ipconst', value: new Uint8Array(16) };
      default:
        return v ? { kind: 'num', values: Float64Array.from(v as number[]) } : { kind: 'const', value: 0 };
    }
  });
  return { rows, columns, data };
}
