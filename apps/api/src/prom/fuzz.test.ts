/** Hostile input never makes the metric-format decoders or the PromQL parser throw unexpectedly. */
import { describe, expect, it } from 'vitest';
import { mutate, randomBytes, rng } from '../intake/fuzz';
import { parseInflux } from './influx';
import { PromQLError } from './promql/ast';
import { parsePromQL } from './promql/parser';
import { instantQuery, rangeQuery } from './promql/query';
import { decodeRemoteWrite } from './remote-write';
import { sortLabels, type TimeSeries } from './series';
import { unsnappy } from './snappy';
import { matches } from './store/matchers';
import type { MetricSource } from './store/prom-store';
import { remoteWrite, snappyCompress } from './testing';

const ROUNDS = 1500;
const LIM = { maxSeries: 1000, maxSamples: 10_000, maxLabels: 64 };

const body = remoteWrite([
  {
    labels: { __name__: 'node_cpu_seconds_total', cpu: '0', mode: 'idle', instance: 'h:9100' },
    samples: [[1_700_000_000_000, 12.5]],
  },
  {
    labels: { __name__: 'up', job: 'node' },
    samples: [
      [1_700_000_000_000, 1],
      [1_700_000_001_000, 1],
    ],
  },
]);

function outcomes(run: (input: Uint8Array) => boolean, seed: Uint8Array, salt: number) {
  const r = rng(0xc0ffee ^ salt);
  const seen = { ok: 0, error: 0 };
  for (let i = 0; i < ROUNDS; i++) {
    if (run(i % 3 === 0 ? randomBytes(r, 300) : mutate(r, seed))) seen.ok++;
    else seen.error++;
  }
  return seen;
}

describe('metric intake decoders under fuzzing', () => {
  it('snappy: values or errors', () => {
    const seen = outcomes((b) => unsnappy(b, 1 << 20).ok, snappyCompress(body), 1);
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.error).toBeGreaterThan(0);
  });

  it('remote write protobuf: values or errors', () => {
    const seen = outcomes((b) => decodeRemoteWrite(b, LIM).ok, body, 2);
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.error).toBeGreaterThan(0);
  });

  it('snappy + remote write chained, as the endpoint runs them', () => {
    const seen = outcomes(
      (b) => {
        const u = unsnappy(b, 1 << 20);
        return u.ok && decodeRemoteWrite(u.value, LIM).ok;
      },
      snappyCompress(body),
      3,
    );
    expect(seen.ok + seen.error).toBe(ROUNDS);
  });

  it('influx line protocol: series and counted bad lines, no exceptions', () => {
    const text = new TextEncoder().encode(
      'cpu,host=a\\ b usage=1.5,n=2i,s="x\\"y" 1700000000000000000\nmem value=3\n',
    );
    const seen = outcomes(
      (b) => {
        const res = parseInflux(Buffer.from(b).toString('utf8'), { maxSeries: 100 });
        return res.badLines === 0;
      },
      text,
      4,
    );
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.error).toBeGreaterThan(0);
  });

  it('PromQL parser: only PromQLError escapes', () => {
    const q = new TextEncoder().encode(
      'histogram_quantile(0.9, sum by (le) (rate(x_bucket{job=~"a|b",code!="5.."}[5m] offset 1m))) / 2 >= bool 1',
    );
    const seen = outcomes(
      (b) => {
        try {
          parsePromQL(Buffer.from(b).toString('latin1'));
          return true;
        } catch (e) {
          if (!(e instanceof PromQLError)) throw e;
          return false;
        }
      },
      q,
      5,
    );
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.error).toBeGreaterThan(0);
  });

  it('PromQL evaluation of mutated queries: answers or PromQLError, nothing else', async () => {
    const T = 1_700_000_000_000;
    const data: TimeSeries[] = ['a', 'b'].flatMap((job) =>
      ['0.1', '1', '+Inf'].map((le, i) => ({
        labels: sortLabels([
          ['__name__', 'x_bucket'],
          ['job', job],
          ['le', le],
        ]),
        samples: Array.from({ length: 30 }, (_, k) => ({ t: T + k * 10_000, v: k * (i + 1) })),
      })),
    );
    const src: MetricSource = {
      select: async (ms) => data.filter((d) => matches(d.labels, ms)),
      series: async (ms) => data.filter((d) => matches(d.labels, ms)).map((d) => d.labels),
      labelNames: async () => [],
    };
    const seeds = [
      'histogram_quantile(0.9, sum by (le) (rate(x_bucket{job=~"a|b"}[1m] offset 10s))) / 2 >= bool 1',
      'topk(1, max without (le) (increase(x_bucket[2m]))) + on(job) sum by (job) (x_bucket) * -2 ^ 2',
      'clamp_max(abs(delta(x_bucket[1m])), 3) % scalar(count(x_bucket)) != bool vector(time())',
    ].map((q) => new TextEncoder().encode(q));
    const r = rng(0xfeed);
    let answered = 0;
    let refused = 0;
    for (let i = 0; i < 600; i++) {
      const q = Buffer.from(mutate(r, seeds[i % seeds.length]!)).toString('latin1');
      try {
        await instantQuery(src, q, T + 200_000);
        await rangeQuery(src, q, T + 100_000, T + 200_000, 20_000);
        answered++;
      } catch (e) {
        if (!(e instanceof PromQLError)) throw new Error(`${q}: ${String(e)}`);
        refused++;
      }
    }
    expect(answered).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});
