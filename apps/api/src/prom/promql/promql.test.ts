import { describe, expect, it } from 'vitest';
import { type Labels, sortLabels, type TimeSeries } from '../series';
import { type Matcher, matches } from '../store/matchers';
import type { MetricSource } from '../store/prom-store';
import { PromQLError } from './ast';
import { parsePromQL } from './parser';
import { instantQuery, rangeQuery } from './query';

/** An in-memory source: the evaluator is pure apart from select(). */
class Memory implements MetricSource {
  constructor(readonly data: TimeSeries[]) {}
  async select(ms: readonly Matcher[], from: number, to: number): Promise<TimeSeries[]> {
    return this.data
      .filter((s) => matches(s.labels, ms))
      .map((s) => ({ labels: s.labels, samples: s.samples.filter((p) => p.t >= from && p.t <= to) }));
  }
  async series(ms: readonly Matcher[]): Promise<Labels[]> {
    return this.data.filter((s) => matches(s.labels, ms)).map((s) => s.labels);
  }
  async labelNames(): Promise<string[]> {
    return [];
  }
}

const L = (o: Record<string, string>): Labels => sortLabels(Object.entries(o));
const T = 1_700_000_000_000;
/** a counter growing by `perSec` every 10 s for 10 minutes, with a reset at +300 s when asked */
const counter = (labels: Record<string, string>, perSec: number, reset = false): TimeSeries => ({
  labels: L(labels),
  samples: Array.from({ length: 61 }, (_, i) => {
    let v = perSec * 10 * i;
    if (reset && i >= 30) v = perSec * 10 * (i - 30);
    return { t: T + i * 10_000, v };
  }),
});
const bucket = (le: string, v: number): TimeSeries => ({
  labels: L({ __name__: 'lat_bucket', job: 'api', le }),
  samples: [{ t: T + 600_000, v }],
});

const src = new Memory([
  counter({ __name__: 'http_requests_total', job: 'api', code: '200' }, 10),
  counter({ __name__: 'http_requests_total', job: 'api', code: '500' }, 1),
  counter({ __name__: 'http_requests_total', job: 'web', code: '200' }, 5, true),
  bucket('0.1', 50),
  bucket('0.5', 90),
  bucket('1', 100),
  bucket('+Inf', 100),
]);
const END = T + 600_000;
const values = async (q: string, t = END) => {
  const d = await instantQuery(src, q, t);
  if (d.resultType !== 'vector') throw new Error(d.resultType);
  return Object.fromEntries(d.result.map((r) => [JSON.stringify(r.metric), Number(r.value[1])]));
};

describe('PromQL subset', () => {
  it('selects with = != =~ !~', async () => {
    expect(Object.keys(await values('http_requests_total{job="api",code!="500"}'))).toEqual([
      '{"__name__":"http_requests_total","code":"200","job":"api"}',
    ]);
    expect(Object.keys(await values('http_requests_total{job=~"a.*",code!~"2.."}'))).toEqual([
      '{"__name__":"http_requests_total","code":"500","job":"api"}',
    ]);
    // regexes are anchored
    expect(await values('http_requests_total{job=~"p"}')).toEqual({});
  });

  it('rate and increase, with counter resets', async () => {
    const r = await values('rate(http_requests_total[1m])');
    expect(r['{"code":"200","job":"api"}']).toBeCloseTo(10, 6);
    expect(r['{"code":"500","job":"api"}']).toBeCloseTo(1, 6);
    const inc = await values('increase(http_requests_total{job="web"}[5m])', T + 330_000);
    // 1400 counted over 290 s of samples despite the reset at +300 s, extrapolated to 300 s
    expect(inc['{"code":"200","job":"web"}']).toBeCloseTo((1400 * 300) / 290, 6);
  });

  it('aggregates by / without and does arithmetic with scalars and vectors', async () => {
    expect(await values('sum by (job) (rate(http_requests_total[1m]))')).toEqual({
      '{"job":"api"}': expect.closeTo(11, 6),
      '{"job":"web"}': expect.closeTo(5, 6),
    });
    expect(await values('max without (code) (rate(http_requests_total[1m])) * 2')).toEqual({
      '{"job":"api"}': expect.closeTo(20, 6),
      '{"job":"web"}': expect.closeTo(10, 6),
    });
    const ratio = await values(
      'sum by (job) (rate(http_requests_total{code="500"}[1m])) / sum by (job) (rate(http_requests_total[1m]))',
    );
    expect(ratio).toEqual({ '{"job":"api"}': expect.closeTo(1 / 11, 6) });
    expect(await values('avg(rate(http_requests_total[1m])) - 1')).toEqual({
      '{}': expect.closeTo(16 / 3 - 1, 6),
    });
    expect(await values('count(http_requests_total > 1000)')).toEqual({ '{}': 2 });
    const err = await values('http_requests_total + on(job) http_requests_total').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PromQLError);
    expect((err as Error).message).toMatch(/many-to-many matching not allowed/);
  });

  it('histogram_quantile interpolates inside the bucket', async () => {
    const q = await values('histogram_quantile(0.9, sum by (le) (lat_bucket))');
    expect(q['{}']).toBeCloseTo(0.5, 6);
    const p50 = await values('histogram_quantile(0.5, lat_bucket)');
    expect(p50['{"job":"api"}']).toBeCloseTo(0.1, 6);
    const p95 = await values('histogram_quantile(0.95, lat_bucket)');
    expect(p95['{"job":"api"}']).toBeCloseTo(0.75, 6);
  });

  it('range queries return one matrix row per series and step', async () => {
    const d = await rangeQuery(
      src,
      'sum(rate(http_requests_total{job="api"}[1m]))',
      T + 60_000,
      T + 120_000,
      30_000,
    );
    expect(d.resultType).toBe('matrix');
    if (d.resultType !== 'matrix') return;
    expect(d.result).toHaveLength(1);
    expect(d.result[0]!.values.map(([t, v]) => [t, Number(v)])).toEqual([
      [(T + 60_000) / 1000, expect.closeTo(11, 6)],
      [(T + 90_000) / 1000, expect.closeTo(11, 6)],
      [(T + 120_000) / 1000, expect.closeTo(11, 6)],
    ]);
    const s = await instantQuery(src, '1 + 2 * 3 ^ 2', END);
    expect(s).toEqual({ resultType: 'scalar', result: [END / 1000, '19'] });
  });

  it('rejects what it does not support with clear errors', () => {
    const bad = (q: string) => {
      try {
        parsePromQL(q);
        return 'parsed';
      } catch (e) {
        return e instanceof PromQLError ? e.message : `THREW ${String(e)}`;
      }
    };
    expect(bad('rate(x[5m:1m])')).toBe('subqueries are not supported');
    expect(bad('a atan2 b')).toBe("operator 'atan2' is not supported");
    expect(bad('{job=""}')).toMatch(/at least one non-empty matcher/);
    expect(bad('x{job=~"("}')).toMatch(/invalid regex/);
    expect(bad('nosuchfn(x)')).toBe("unknown or unsupported function 'nosuchfn'");
    expect(bad('sum(x')).toMatch(/expected '\)'/);
    expect(bad('x + on(a) group_left b')).toMatch(/group_left/);
  });
});

describe('PromQL label and absence functions', () => {
  it('label_replace, absent and quantile', async () => {
    expect(
      Object.keys(
        await values(
          // biome-ignore lint/suspicious/noTemplateCurlyInString: PromQL's ${1} group reference
          'label_replace(http_requests_total{code="500"}, "class", "${1}xx", "code", "(\\\\d)..")',
        ),
      ),
    ).toEqual(['{"__name__":"http_requests_total","class":"5xx","code":"500","job":"api"}']);
    expect(await values('absent(http_requests_total{job="api"})')).toEqual({});
    expect(await values('absent(nope{job="x", code=~"5.."})')).toEqual({ '{"job":"x"}': 1 });
    expect(await values('quantile(0.5, rate(http_requests_total[1m]))')).toEqual({
      '{}': expect.closeTo(5, 6),
    });
  });
});

describe('PromQL set operators and sorting', () => {
  it('and / or / unless by label signature, with on()', async () => {
    const keys = async (q: string) => Object.keys(await values(q)).sort();
    expect(await keys('http_requests_total and http_requests_total{code="500"}')).toEqual([
      '{"__name__":"http_requests_total","code":"500","job":"api"}',
    ]);
    expect(await keys('http_requests_total unless on(job) http_requests_total{job="web"}')).toEqual([
      '{"__name__":"http_requests_total","code":"200","job":"api"}',
      '{"__name__":"http_requests_total","code":"500","job":"api"}',
    ]);
    expect(
      await keys('sum by (job) (http_requests_total{job="api"}) or sum by (job) (http_requests_total)'),
    ).toEqual(['{"job":"api"}', '{"job":"web"}']);
    // `or` binds looser than `and`
    expect(
      await keys('lat_bucket{le="1"} or http_requests_total{code="200"} and http_requests_total{job="web"}'),
    ).toEqual([
      '{"__name__":"http_requests_total","code":"200","job":"web"}',
      '{"__name__":"lat_bucket","job":"api","le":"1"}',
    ]);
  });

  it('sort and sort_desc order an instant vector by value', async () => {
    const d = await instantQuery(src, 'sort_desc(rate(http_requests_total[1m]))', END);
    expect(d.resultType === 'vector' && d.result.map((r) => Math.round(Number(r.value[1])))).toEqual([
      10, 5, 1,
    ]);
  });
});
