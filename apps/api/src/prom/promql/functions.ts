/**
 * Range and instant-vector functions of the subset. rate/increase/delta follow Prometheus'
 * extrapolation rules (extend to the window edges by up to 1.1x the average sample gap,
 * never below zero for counters; counter resets are added back).
 */
export type Point = { t: number; v: number };

/** Functions over a range vector: (points in (t-range, t], range ms, t) -> value or undefined. */
export const RANGE_FUNCTIONS: Record<
  string,
  (pts: readonly Point[], rangeMs: number, t: number) => number | undefined
> = {
  rate: (p, r, t) => extrapolated(p, t - r, t, true, true),
  increase: (p, r, t) => extrapolated(p, t - r, t, true, false),
  delta: (p, r, t) => extrapolated(p, t - r, t, false, false),
  irate: (p) => instant(p, true),
  idelta: (p) => instant(p, false),
  avg_over_time: (p) => (p.length ? p.reduce((s, x) => s + x.v, 0) / p.length : undefined),
  sum_over_time: (p) => (p.length ? p.reduce((s, x) => s + x.v, 0) : undefined),
  min_over_time: (p) => (p.length ? p.reduce((m, x) => Math.min(m, x.v), Infinity) : undefined),
  max_over_time: (p) => (p.length ? p.reduce((m, x) => Math.max(m, x.v), -Infinity) : undefined),
  count_over_time: (p) => (p.length ? p.length : undefined),
  last_over_time: (p) => p.at(-1)?.v,
  resets: (p) => (p.length ? p.slice(1).filter((x, i) => x.v < p[i]!.v).length : undefined),
  changes: (p) => (p.length ? p.slice(1).filter((x, i) => x.v !== p[i]!.v).length : undefined),
};

/** Element-wise functions of an instant vector. */
export const MATH_FUNCTIONS: Record<string, (v: number) => number> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  sqrt: Math.sqrt,
  exp: Math.exp,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sgn: Math.sign,
};

/** Every function name the parser accepts (the evaluator implements each). */
export const FUNCTIONS: ReadonlySet<string> = new Set([
  ...Object.keys(RANGE_FUNCTIONS),
  ...Object.keys(MATH_FUNCTIONS),
  'histogram_quantile',
  'label_replace',
  'sort',
  'sort_desc',
  'absent',
  'round',
  'clamp_min',
  'clamp_max',
  'scalar',
  'vector',
  'time',
]);

function extrapolated(
  p: readonly Point[],
  rangeStart: number,
  rangeEnd: number,
  counter: boolean,
  perSecond: boolean,
): number | undefined {
  if (p.length < 2) return undefined;
  const first = p[0]!;
  const last = p[p.length - 1]!;
  let result = last.v - first.v;
  if (counter) for (let i = 1; i < p.length; i++) if (p[i]!.v < p[i - 1]!.v) result += p[i - 1]!.v;
  const sampled = (last.t - first.t) / 1000;
  if (sampled <= 0) return undefined;
  let toStart = (first.t - rangeStart) / 1000;
  const toEnd = (rangeEnd - last.t) / 1000;
  const avgGap = sampled / (p.length - 1);
  if (counter && result > 0 && first.v >= 0) {
    // a counter cannot have been below zero: extrapolate at most to where it would be 0
    const toZero = sampled * (first.v / result);
    if (toZero < toStart) toStart = toZero;
  }
  const threshold = avgGap * 1.1;
  let interval = sampled;
  interval += toStart < threshold ? toStart : avgGap / 2;
  interval += toEnd < threshold ? toEnd : avgGap / 2;
  result *= interval / sampled;
  if (perSecond) result /= (rangeEnd - rangeStart) / 1000;
  return result;
}

function instant(p: readonly Point[], rate: boolean): number | undefined {
  if (p.length < 2) return undefined;
  const a = p[p.length - 2]!;
  const b = p[p.length - 1]!;
  let d = b.v - a.v;
  if (!rate) return d;
  if (b.v < a.v) d = b.v; // counter reset
  const dt = (b.t - a.t) / 1000;
  return dt > 0 ? d / dt : undefined;
}

/** histogram_quantile over one series' buckets (upper bound -> cumulative count). */
export function bucketQuantile(q: number, buckets: { le: number; count: number }[]): number {
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const bs = [...buckets].sort((a, b) => a.le - b.le);
  if (bs.length < 2 || bs.at(-1)!.le !== Infinity) return Number.NaN;
  // counts must not decrease (scrapes of buckets are not atomic): enforce monotonicity
  for (let i = 1; i < bs.length; i++) if (bs[i]!.count < bs[i - 1]!.count) bs[i]!.count = bs[i - 1]!.count;
  const total = bs.at(-1)!.count;
  if (!(total > 0)) return Number.NaN;
  let rank = q * total;
  let b = bs.findIndex((x) => x.count >= rank);
  if (b < 0) b = bs.length - 1;
  if (b === bs.length - 1) return bs[bs.length - 2]!.le;
  if (b === 0 && bs[0]!.le <= 0) return bs[0]!.le;
  let start = 0;
  const end = bs[b]!.le;
  let count = bs[b]!.count;
  if (b > 0) {
    start = bs[b - 1]!.le;
    count -= bs[b - 1]!.count;
    rank -= bs[b - 1]!.count;
  }
  return count > 0 ? start + (end - start) * (rank / count) : start;
}
