/** A query result -> samples: every column but the last is a label, the last is the value. */
import { createHash } from 'node:crypto';
import type { Sample } from './types';

export interface QueryResultLike {
  columns: string[];
  values: unknown[][];
}

/** Stable identity of a label set (sorted `name=value` pairs). */
export function seriesKey(labels: Record<string, string>): string {
  const key = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
  // keys are stored in a 191-character column: long label sets go by their hash
  return key.length <= 160 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

export function samplesOf(result: QueryResultLike): Sample[] {
  const n = result.columns.length;
  if (n === 0) return [];
  const out = new Map<string, Sample>();
  for (const row of result.values) {
    const labels: Record<string, string> = {};
    for (let i = 0; i < n - 1; i++) labels[result.columns[i]!] = row[i] === null ? '' : String(row[i]);
    const key = seriesKey(labels);
    // Several rows of one series (e.g. time buckets): the last one is the latest value.
    out.set(key, { key, labels, value: toNumber(row[n - 1]) });
  }
  return [...out.values()];
}
