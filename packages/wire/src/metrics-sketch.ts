/**
 * The latency sketch of the metric tables: a histogram with fixed, log-spaced bucket bounds.
 * Because the bounds never change, per-bucket counts from any agent, second or minute simply
 * add up, so 1 s rows merge into 1 m, 1 h and 1 d rows (and across agents) with plain sums.
 *
 *   bucket 0          [0, 8 µs)
 *   bucket k, 1..72   [8·2^((k-1)/3), 8·2^(k/3)) µs   (three buckets per doubling)
 *   bucket 73         [2^27 µs ≈ 134 s, ∞)
 *
 * A quantile is read as the geometric middle of the bucket holding it, so its relative
 * error is at most 2^(1/6) - 1 ≈ 12.2% (bucket 0 and the overflow bucket excepted).
 */

export const SKETCH_BASE_US = 8;
export const SKETCH_STEPS_PER_OCTAVE = 3;
/** buckets 1..72 span 8 µs .. 2^27 µs */
export const SKETCH_OCTAVES = 24;
export const SKETCH_BUCKETS = SKETCH_OCTAVES * SKETCH_STEPS_PER_OCTAVE + 2;
export const SKETCH_MAX_US = SKETCH_BASE_US * 2 ** SKETCH_OCTAVES;
/** worst relative error of a quantile inside buckets 1..72 */
export const SKETCH_RELATIVE_ERROR = 2 ** (1 / (2 * SKETCH_STEPS_PER_OCTAVE)) - 1;

/** Column names of the buckets: `<prefix>_b00` .. `<prefix>_b73`. */
export function sketchColumns(prefix: string): string[] {
  return Array.from({ length: SKETCH_BUCKETS }, (_, i) => `${prefix}_b${String(i).padStart(2, '0')}`);
}

/** Upper bounds (exclusive, µs) of buckets 0..72; bucket 73 is unbounded. */
export const SKETCH_UPPER_BOUNDS: readonly number[] = Array.from(
  { length: SKETCH_BUCKETS - 1 },
  (_, k) => SKETCH_BASE_US * 2 ** (k / SKETCH_STEPS_PER_OCTAVE),
);

/** Bucket index of a latency in µs. */
export function sketchBucket(us: number): number {
  if (!(us >= SKETCH_BASE_US)) return 0;
  if (us >= SKETCH_MAX_US) return SKETCH_BUCKETS - 1;
  let k = Math.floor(Math.log2(us / SKETCH_BASE_US) * SKETCH_STEPS_PER_OCTAVE) + 1;
  // log2 rounding can land one off at an exact bound: the bounds table decides.
  if (us < SKETCH_UPPER_BOUNDS[k - 1]!) k--;
  else if (us >= SKETCH_UPPER_BOUNDS[k]!) k++;
  return k;
}

/** The value reported for a quantile that falls in bucket k (µs). */
export function sketchEstimate(k: number): number {
  if (k <= 0) return SKETCH_BASE_US / 2;
  if (k >= SKETCH_BUCKETS - 1) return SKETCH_MAX_US;
  return SKETCH_BASE_US * 2 ** ((k - 0.5) / SKETCH_STEPS_PER_OCTAVE);
}

/** Quantile q (0..1) of a histogram of SKETCH_BUCKETS counts; 0 when empty. */
export function sketchQuantile(counts: ArrayLike<number>, q: number): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  if (total === 0) return 0;
  const rank = q * total;
  let cum = 0;
  for (let k = 0; k < counts.length; k++) {
    cum += counts[k]!;
    if (cum >= rank && cum > 0) return sketchEstimate(k);
  }
  return sketchEstimate(counts.length - 1);
}
