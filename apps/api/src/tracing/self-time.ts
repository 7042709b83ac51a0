/** Self time: a span's duration minus the union of its children's intervals, clipped to it. */
import type { TraceRow } from './row';

export function selfTimes(
  rows: readonly TraceRow[],
  order: readonly number[],
  kids: ReadonlyMap<number, readonly number[]>,
  kept: ReadonlyMap<number, number>,
): Map<number, number> {
  const out = new Map<number, number>();
  for (const i of order) {
    const r = rows[i]!;
    const start = r.start_time;
    const end = Math.max(r.end_time, start);
    const spans = (kids.get(i) ?? [])
      .filter((k) => kept.has(k))
      .map((k) => [Math.max(start, rows[k]!.start_time), Math.min(end, rows[k]!.end_time)] as const)
      .filter(([a, b]) => b > a)
      .sort((a, b) => a[0] - b[0]);
    let covered = 0;
    let curA = -1;
    let curB = -1;
    for (const [a, b] of spans) {
      if (a > curB) {
        covered += curB - curA;
        curA = a;
        curB = b;
      } else if (b > curB) curB = b;
    }
    covered += curB - curA;
    out.set(i, Math.max(0, end - start - covered));
  }
  return out;
}
