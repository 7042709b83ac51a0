import { describe, expect, it } from 'vitest';
import { l4ChartOption, redChartOption, steps } from './options';

type Series = { name: string; data: [number, number | null][] }[];

describe('chart options', () => {
  it('fills every step of the range so gaps read as zero', () => {
    expect(steps(100, 400, 60)).toEqual([60, 120, 180, 240, 300, 360]);
    const o = redChartOption(
      [
        {
          t: 120,
          requests: 120,
          errors: 6,
          timeouts: 0,
          p99: 250_000,
          latencySum: 1_200_000,
          latencyCount: 120,
        },
      ],
      60,
      240,
      60,
    );
    const s = o.series as Series;
    expect(s.map((x) => x.name)).toEqual(['requests/s', 'errors/s', 'p99 ms', 'avg ms']);
    expect(s[0]!.data).toEqual([
      [60_000, 0],
      [120_000, 2],
      [180_000, 0],
    ]);
    expect(s[1]!.data[1]).toEqual([120_000, 0.1]);
    expect(s[2]!.data[1]).toEqual([120_000, 250]);
    // no data: no latency point rather than a zero
    expect(s[3]!.data[0]).toEqual([60_000, null]);
    expect(s[3]!.data[1]).toEqual([120_000, 10]);
  });

  it('turns L4 sums into per-second throughput and average RTT', () => {
    const o = l4ChartOption(
      [{ t: 0, byteTx: 6000, byteRx: 60_000, rttSum: 3000, rttCount: 2, retrans: 3, connFailed: 1 }],
      0,
      60,
      60,
    );
    const s = o.series as Series;
    expect(s[0]!.data).toEqual([[0, 100]]);
    expect(s[1]!.data).toEqual([[0, 1000]]);
    expect(s[2]!.data).toEqual([[0, 1.5]]);
    expect(s[3]!.data).toEqual([[0, 3]]);
  });
});
