/**
 * The Prometheus API over Zeroscope's own metric tables, and intake limits (issue 12).
 * Request logs go through the agent's metrics aggregator and Sender into flow_metrics, and
 * PromQL over `zeroscope_application_*` reads them back per service, with names decoded by
 * flow_tag. Oversized bodies, decompression bombs and too many series (per request and in
 * the store) are refused with 4xx JSON errors naming the limit, counted, and not stored.
 */
import { gzipSync } from 'node:zlib';
import { MetricsAggregator } from '@zeroscope/agent/metrics';
import { Sender } from '@zeroscope/agent/sender';
import { AUTO_TYPE } from '@zeroscope/tags';
import { emptyRequestLog, type RequestLog } from '@zeroscope/wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INTAKE_LIMITS } from '../src/intake/intake';
import { seriesKey } from '../src/prom/series';
import { hash53 } from '../src/prom/store/hash';
import { matcher } from '../src/prom/store/matchers';
import { PromStore } from '../src/prom/store/prom-store';
import { remoteWrite, snappyCompress } from '../src/prom/testing';
import { AGENT_TOKEN, type IntakeApi, prom, startIntakeApi } from './intake-helpers';

const NOW_US = Date.now() * 1000;
const SERVICES: [number, string][] = [
  [1, 'cart'],
  [2, 'checkout'],
];

/** 2 minutes of requests ending 10 s ago: 300 to cart (every 10th a 5xx), 120 to checkout. */
function requests(): RequestLog[] {
  const out: RequestLog[] = [];
  const start = NOW_US - 130_000_000;
  const add = (n: number, svc: number) => {
    for (let i = 0; i < n; i++) {
      const t = start + Math.floor((i * 120_000_000) / n);
      const err = svc === 1 && i % 10 === 0;
      out.push({
        ...emptyRequestLog(),
        start_time: t,
        end_time: t + 2000,
        response_duration: 2000,
        l7_protocol: 'http1',
        endpoint: '/api',
        response_status: err ? 'server_error' : 'ok',
        response_code: err ? 500 : 200,
        ip_0: '10.0.0.9',
        ip_1: `10.0.1.${svc}`,
        server_port: 8080,
        observation_point: 's-p',
        signal_source: 'ebpf',
        service_id_1: svc,
        auto_service_id_1: svc,
        auto_service_type_1: AUTO_TYPE.service,
      });
    }
  };
  add(300, 1);
  add(120, 2);
  return out;
}

// one API for both parts (each start costs a chDB open + migrations); its intake limits are
// small, which the metric-table reads (agent link, /prom) do not touch
let api: IntakeApi;

beforeAll(async () => {
  api = await startIntakeApi({
    ...DEFAULT_INTAKE_LIMITS,
    body: { maxWireBytes: 4096, maxBytes: 16_384 },
    maxSeriesPerRequest: 3,
    maxSeries: 4,
  });
});

afterAll(async () => {
  await api?.close();
});

describe('Zeroscope metric tables as Prometheus metrics', () => {
  beforeAll(async () => {
    const sender = new Sender({
      url: `ws://127.0.0.1:${api.port}`,
      token: AGENT_TOKEN,
      hostname: 'own-metrics',
    });
    const agg = new MetricsAggregator({ emit: (row) => sender.enqueue(row) });
    for (const r of requests()) agg.onRecord(r);
    agg.flush();
    await sender.flush();
    await sender.close();
    const rows = SERVICES.map(([id, name]) => `(${id}, '${name}')`).join(', ');
    await api.ctx.telemetry.command(`INSERT INTO flow_tag.service_map_src (id, name) VALUES ${rows}`);
    await api.ctx.telemetry.command('SYSTEM RELOAD DICTIONARIES');
  });

  const vector = async (q: string, at = '') => {
    const r = await prom(api, `query?query=${encodeURIComponent(q)}${at ? `&time=${at}` : ''}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return Object.fromEntries(
      (r.body.data.result as { metric: Record<string, string>; value: [number, string] }[]).map((x) => [
        JSON.stringify(x.metric),
        Number(x.value[1]),
      ]),
    );
  };

  it('counts requests and errors per service', async () => {
    expect(await vector('sum by (auto_service) (zeroscope_application_requests)')).toEqual({
      '{"auto_service":"cart"}': 300,
      '{"auto_service":"checkout"}': 120,
    });
    expect(
      await vector('sum by (auto_service) (zeroscope_application_server_errors{l7_protocol="http1"})'),
    ).toEqual({
      '{"auto_service":"cart"}': 30,
      '{"auto_service":"checkout"}': 0,
    });
    // 2 ms per response
    expect(
      await vector(
        'sum by (auto_service) (zeroscope_application_response_duration_seconds_sum) / sum by (auto_service) (zeroscope_application_response_duration_seconds_count)',
      ),
    ).toEqual({
      '{"auto_service":"cart"}': expect.closeTo(0.002, 9),
      '{"auto_service":"checkout"}': expect.closeTo(0.002, 9),
    });
  });

  it('rate() gives requests per second from the per-window sums', async () => {
    // at the end of the data, a 1 m window holds 150 of cart's requests: 2.5/s
    const end = String((NOW_US - 10_000_000) / 1e6);
    const r = await vector(
      'sum by (auto_service) (rate(zeroscope_application_requests{auto_service="cart"}[1m]))',
      end,
    );
    expect(r['{"auto_service":"cart"}']).toBeGreaterThan(2.5 * 0.9);
    expect(r['{"auto_service":"cart"}']).toBeLessThan(2.5 * 1.1);
    // equality matchers are pushed into the query language as bound strings, quotes and all
    expect(await vector('zeroscope_application_requests{auto_service="it\'s \\\\ odd"}')).toEqual({});
    expect(
      Object.keys(await vector('zeroscope_application_requests{auto_service="checkout", endpoint="/api"}')),
    ).toHaveLength(1);
    const names = await prom(api, 'label/__name__/values');
    expect(names.body.data).toEqual(
      expect.arrayContaining(['zeroscope_application_requests', 'zeroscope_application_server_errors']),
    );
  });
});

describe('intake limits', () => {
  const write = (body: Uint8Array, headers: Record<string, string> = {}) =>
    fetch(`${api.base}/api/v1/write`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.ingestToken}`, ...headers },
      body,
    });
  const series = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => ({
      labels: { __name__: `${prefix}_${i}` },
      samples: [[Date.now(), i]] as [number, number][],
    }));

  it('refuses bodies past the wire and decompressed limits', async () => {
    const big = await write(new Uint8Array(5000));
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({
      error: 'body_too_large',
      message: 'request body of 5000 bytes exceeds 4096 bytes',
    });
    // 1 MB of zeros gzips to ~1 kB: refused at 16 kB of output, not after inflating it all
    const bomb = await fetch(`${api.base}/v1/metrics`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${api.ingestToken}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: gzipSync(Buffer.alloc(1 << 20, 0x20)),
    });
    expect(bomb.status).toBe(413);
    expect(((await bomb.json()) as { message: string }).message).toBe(
      'decompressed body exceeds 16384 bytes',
    );
    // a snappy header that claims more than the limit
    const claim = await write(Uint8Array.from([0x80, 0x80, 0x80, 0x08, 0x00]));
    expect(claim.status).toBe(413);
  });

  it('refuses too many series per request and past the store cap, storing nothing of it', async () => {
    const many = await write(snappyCompress(remoteWrite(series(4, 'per_request'))));
    expect(many.status).toBe(400);
    expect(await many.json()).toEqual({ error: 'bad_payload', message: 'more than 3 series in one request' });
    expect((await write(snappyCompress(remoteWrite(series(3, 'first'))))).status).toBe(204);
    const over = await write(snappyCompress(remoteWrite(series(2, 'second'))));
    expect(over.status).toBe(429);
    expect(await over.json()).toEqual({
      error: 'series_limit',
      message: 'series limit reached: 3 stored + 2 new > 4',
    });
    const [row] = await api.ctx.telemetry.query<{ n: number }>('SELECT count() AS n FROM prometheus.samples');
    expect(Number(row!.n)).toBe(3);
    expect(api.routes.intake.stats.snapshot().rejected).toEqual({
      body_too_large: 3,
      bad_payload: 1,
      series_limit: 1,
    });
  });

  it('a restarted store, and a second API instance, read series and ids back from ClickHouse', async () => {
    const again = new PromStore(api.ctx.telemetry, 100, 0);
    const names = (await again.series([matcher('__name__', '=~', 'first_.*')])).map((l) => l[0]![1]).sort();
    expect(names).toEqual(['first_0', 'first_1', 'first_2']);
    // another instance writes a new series and an existing one: same content, same ids
    const t = Date.now();
    await again.write(
      [
        { labels: [['__name__', 'after_restart']], samples: [{ t, v: 1 }] },
        { labels: [['__name__', 'first_0']], samples: [{ t, v: 2 }] },
      ],
      () => undefined,
    );
    const ids = await api.ctx.telemetry.query<{ id: number; n: number }>(
      'SELECT series_id AS id, count() AS n FROM prometheus.series FINAL GROUP BY id',
    );
    expect(ids.map((r) => Number(r.n))).toEqual([1, 1, 1, 1]);
    expect(ids.map((r) => Number(r.id)).sort()).toEqual(
      ['after_restart', 'first_0', 'first_1', 'first_2']
        .map((n) => hash53(seriesKey([['__name__', n]])))
        .sort(),
    );
    // the first instance picks the new series up when it refreshes its index
    const first = new PromStore(api.ctx.telemetry, 100, 0);
    expect((await first.series([matcher('__name__', '=', 'after_restart')])).length).toBe(1);
    const read = await first.select([matcher('__name__', '=', 'first_0')], t - 1, t + 1, 10);
    expect(read.map((r) => r.samples)).toEqual([[{ t, v: 2 }]]);
  });
});
