import { describe, expect, it } from 'vitest';
import { METRIC_COLUMNS, METRIC_KINDS } from './metrics';
import {
  SKETCH_BUCKETS,
  SKETCH_MAX_US,
  SKETCH_RELATIVE_ERROR,
  SKETCH_UPPER_BOUNDS,
  sketchBucket,
  sketchColumns,
  sketchQuantile,
} from './metrics-sketch';
import { batchColumns, decodeAgentFrame, encodeBatchFrame } from './protocol';

describe('latency sketch', () => {
  it('puts values in the documented buckets', () => {
    expect(SKETCH_BUCKETS).toBe(74);
    expect(sketchBucket(0)).toBe(0);
    expect(sketchBucket(7.99)).toBe(0);
    expect(sketchBucket(8)).toBe(1);
    expect(sketchBucket(16)).toBe(4); // one doubling = three buckets
    expect(sketchBucket(15.99)).toBe(3);
    expect(sketchBucket(SKETCH_MAX_US - 1)).toBe(72);
    expect(sketchBucket(SKETCH_MAX_US)).toBe(73);
    expect(sketchBucket(1e12)).toBe(73);
    for (let k = 1; k < SKETCH_BUCKETS - 1; k++) {
      expect(sketchBucket(SKETCH_UPPER_BOUNDS[k - 1]!)).toBe(k);
      expect(sketchBucket(SKETCH_UPPER_BOUNDS[k]! * (1 - 1e-12))).toBe(k);
    }
  });

  it('reads quantiles within the bucket error, also after merging histograms', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const values = Array.from({ length: 20_000 }, () => Math.floor(20 + 200_000 * rnd() ** 3));
    const a = new Array(SKETCH_BUCKETS).fill(0);
    const b = new Array(SKETCH_BUCKETS).fill(0);
    values.forEach((v, i) => {
      (i % 2 ? a : b)[sketchBucket(v)]++;
    });
    const merged = a.map((x, i) => x + b[i]);
    const sorted = [...values].sort((x, y) => x - y);
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = sorted[Math.ceil(q * sorted.length) - 1]!;
      const est = sketchQuantile(merged, q);
      expect(Math.abs(est - exact) / exact).toBeLessThanOrEqual(SKETCH_RELATIVE_ERROR + 1e-9);
    }
    expect(sketchQuantile(new Array(SKETCH_BUCKETS).fill(0), 0.5)).toBe(0);
  });

  it('names one column per bucket', () => {
    expect(sketchColumns('latency')[0]).toBe('latency_b00');
    expect(sketchColumns('latency')[73]).toBe('latency_b73');
  });
});

describe('metric batch kinds', () => {
  it('round-trip through batch frames with their own column lists', () => {
    for (const kind of METRIC_KINDS) {
      const frame = encodeBatchFrame(kind, 42, new Uint8Array([1, 2]));
      const res = decodeAgentFrame(frame, true);
      expect(res.ok && res.frame.type === 'batch' && res.frame.kind).toBe(kind);
      expect(batchColumns(kind)).toBe(METRIC_COLUMNS[kind.replace(/_1[sm]$/, '') as 'application']);
    }
    expect(decodeAgentFrame(new Uint8Array([1, 99, 1]), true).ok).toBe(false);
  });
});
