/**
 * Top functions of a set of folded stacks: self (the function is the leaf) and total (the
 * function is anywhere on the stack, counted once per stack even when it recurses).
 */
import type { FoldedRow } from './tree';

export interface FunctionRow {
  name: string;
  self: number;
  total: number;
}

export function topFunctions(
  rows: Iterable<FoldedRow>,
  limit = 500,
  by: 'self' | 'total' = 'self',
): FunctionRow[] {
  const acc = new Map<string, FunctionRow>();
  const seen = new Set<string>();
  for (const r of rows) {
    if (!(r.value > 0)) continue;
    const frames = r.stack.split(';').filter((f) => f.length > 0);
    if (frames.length === 0) continue;
    seen.clear();
    for (const f of frames) {
      if (seen.has(f)) continue;
      seen.add(f);
      let row = acc.get(f);
      if (!row) {
        row = { name: f, self: 0, total: 0 };
        acc.set(f, row);
      }
      row.total += r.value;
    }
    acc.get(frames[frames.length - 1]!)!.self += r.value;
  }
  const out = [...acc.values()];
  const other = by === 'self' ? 'total' : 'self';
  out.sort((a, b) => b[by] - a[by] || b[other] - a[other] || (a.name < b.name ? -1 : 1));
  return out.slice(0, Math.max(0, limit));
}

export interface FunctionDiffRow extends FunctionRow {
  baseSelf: number;
  baseTotal: number;
}

/** The top functions of `rows`, each with its values in `baseline` (0 where it is new). */
export function topFunctionsDiff(
  rows: Iterable<FoldedRow>,
  baseline: Iterable<FoldedRow>,
  limit = 500,
  by: 'self' | 'total' = 'self',
): FunctionDiffRow[] {
  const before = new Map(topFunctions(baseline, Number.MAX_SAFE_INTEGER).map((f) => [f.name, f]));
  return topFunctions(rows, limit, by).map((f) => ({
    ...f,
    baseSelf: before.get(f.name)?.self ?? 0,
    baseTotal: before.get(f.name)?.total ?? 0,
  }));
}
