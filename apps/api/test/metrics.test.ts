/**
 * Metrics end to end: request logs from the real pipeline (DeepFlow fixture pcaps replayed)
 * plus generated ones, and flow logs, go through the agent's metrics aggregator and Sender
 * into the real API (child process) and chDB. Checks the issue's contract: per minute,
 * sum(requests) of flow_metrics.application equals the number of request logs stored, and
 * the 1 h / 1 d rollups equal the sums of the 1 m rows.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricsAggregator } from '@zeroscope/agent/metrics';
import { replayBytes } from '@zeroscope/agent/replay';
import { Sender } from '@zeroscope/agent/sender';
import {
  emptyRequestLog,
  type FlowLog,
  LATENCY_SKETCH_COLUMNS,
  type RequestLog,
  type ResponseStatus,
} from '@zeroscope/wire';
import { sampleFlowLogs } from '@zeroscope/wire/sample';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTelemetryStore, type TelemetryStore } from '../src/storage/telemetry';
import { AGENT_TOKEN, type ApiProcess, freePort, startApi } from './link-helpers';

const FIXTURES = '/work/shared/fixtures/deepflow/agent/resources/test/flow_generator';
const PCAPS = ['redis/redis.pcap', 'postgre/pgsql-all.pcap', 'http/httpv1.pcap'];
const MIN = 60_000_000;
// 40 minutes ago, on a minute boundary: inside every table's TTL, spans an hour boundary often
const BASE = Math.floor((Date.now() * 1000 - 40 * MIN) / MIN) * MIN;

/** Request and flow logs of fixture pcaps, moved so they start at `at`. */
function replayed(at: number): { requests: RequestLog[]; flows: FlowLog[] } {
  const requests: RequestLog[] = [];
  const flows: FlowLog[] = [];
  for (const p of PCAPS) {
    const file = join(FIXTURES, p);
    if (!existsSync(file)) continue;
    const f: FlowLog[] = [];
    const r = replayBytes(readFileSync(file), { onFlowLog: (x) => f.push(x) });
    const t0 = Math.min(...r.map((x) => x.start_time), ...f.map((x) => x.start_time));
    const shift = (x: { start_time: number; end_time: number }) => {
      x.start_time += at - t0;
      if (x.end_time > 0) x.end_time += at - t0;
    };
    r.forEach(shift);
    f.forEach(shift);
    requests.push(...r);
    flows.push(...f);
  }
  return { requests, flows };
}

const STATUSES: ResponseStatus[] = ['ok', 'ok', 'ok', 'ok', 'client_error', 'server_error', 'timeout'];

/** Three minutes of HTTP requests to four servers with every outcome. */
function generated(n: number): RequestLog[] {
  return Array.from({ length: n }, (_, i) => {
    const status = STATUSES[i % STATUSES.length]!;
    const start = BASE + Math.floor((i * 3 * MIN) / n);
    const d = status === 'timeout' ? 0 : 30 + ((i * 7919) % 250_000);
    return {
      ...emptyRequestLog(),
      start_time: start,
      end_time: start + d,
      response_duration: d,
      l7_protocol: 'http1',
      endpoint: `/api/v${i % 5}`,
      response_status: status,
      ip_0: `10.1.0.${1 + (i % 30)}`,
      ip_1: `10.2.0.${1 + (i % 4)}`,
      client_port: 30000 + (i % 1000),
      server_port: 8080,
      observation_point: 's-p',
      signal_source: 'ebpf',
      auto_service_id_1: 1 + (i % 4),
    };
  });
}

describe('metrics from the agent aggregator into ClickHouse', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zs-metrics-'));
  let api: ApiProcess | undefined;
  let store: TelemetryStore | undefined;
  const requests = [...generated(30_000)];
  const flows: FlowLog[] = [];

  beforeAll(async () => {
    const fx = replayed(BASE + 2 * MIN + 17_000_000);
    requests.push(...fx.requests);
    flows.push(...fx.flows);
    flows.push(
      ...sampleFlowLogs(3000, 5, BASE).map((f, i) => ({
        ...f,
        end_time: BASE + i * 40_000,
        close_type: (['normal', 'server_syn_miss', 'client_rst', 'server_rst'] as const)[i % 4]!,
      })),
    );

    const port = await freePort();
    api = await startApi(dir, port);
    const sender = new Sender({
      url: `ws://127.0.0.1:${port}`,
      token: AGENT_TOKEN,
      hostname: 'metrics-node',
    });
    const agg = new MetricsAggregator({ emit: (row) => sender.enqueue(row) });
    for (const r of requests) {
      agg.onRecord(r);
      sender.enqueue({ kind: 'request_log', ...r });
    }
    for (const f of flows) {
      agg.onFlowLog(f);
      sender.enqueue({ kind: 'flow_log', ...f });
    }
    agg.flush();
    await sender.flush();
    const s = sender.stats();
    await sender.close();
    expect(s.droppedRows).toBe(0);
    expect(s.invalidValues).toBe(0);
    api.proc.kill('SIGTERM');
    await api.exited;
    api = undefined;
    store = await openTelemetryStore({ dataDir: dir, clickhouseUrl: undefined });
  }, 240_000);

  afterAll(async () => {
    api?.proc.kill('SIGKILL');
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const q = <T>(sql: string) => store!.query<T>(sql);
  const perMinute = async (sql: string) =>
    Object.fromEntries((await q<{ m: string; n: number }>(sql)).map((r) => [r.m, Number(r.n)]));

  it('sums application requests per minute to the number of request logs', async () => {
    const logs = await perMinute(
      'SELECT toString(toStartOfMinute(start_time)) AS m, count() AS n FROM flow_log.l7_flow_log GROUP BY m',
    );
    expect(Object.values(logs).reduce((a, b) => a + b, 0)).toBe(requests.length);
    expect(Object.keys(logs).length).toBeGreaterThanOrEqual(3);
    for (const t of ['application_1m', 'application_1s', 'application_map_1m', 'application_map_1s']) {
      const m = await perMinute(
        `SELECT toString(toStartOfMinute(start_time)) AS m, sum(requests) AS n FROM flow_metrics.${t} GROUP BY m`,
      );
      expect(m, t).toEqual(logs);
    }
    // error classes and the sketch agree with the stored request logs too
    const [a] = await q<Record<string, number>>(
      `SELECT sum(client_error) AS ce, sum(server_error) AS se, sum(timeout) AS t, sum(latency_count) AS lc,
              sum(${LATENCY_SKETCH_COLUMNS.join(' + ')}) AS h FROM flow_metrics.application_1m`,
    );
    const [l] = await q<Record<string, number>>(
      `SELECT countIf(response_status = 'client_error') AS ce, countIf(response_status = 'server_error') AS se,
              countIf(response_status = 'timeout') AS t, countIf(response_status != 'timeout') AS lc
       FROM flow_log.l7_flow_log`,
    );
    expect(a).toEqual({ ...l, h: l!.lc });
    if (existsSync(FIXTURES)) {
      const protos = await q<{ p: string; n: number }>(
        'SELECT l7_protocol AS p, sum(requests) AS n FROM flow_metrics.application_1m GROUP BY p ORDER BY p',
      );
      expect(protos.map((r) => r.p)).toEqual(expect.arrayContaining(['http1', 'postgresql', 'redis']));
    }
  });

  it('rolls 1 m rows up into 1 h and 1 d with equal sums, maxima and sketch buckets', async () => {
    for (const t of ['application', 'application_map', 'network', 'network_map']) {
      const values = t.startsWith('application')
        ? ['requests', 'timeout', 'latency_sum', ...LATENCY_SKETCH_COLUMNS.slice(0, 40)]
        : ['byte_tx', 'packet_rx', 'rtt_sum', 'conn_failed', 'server_rst', 'flow'];
      const maxCol = t.startsWith('application') ? 'latency_max' : 'rtt_max';
      for (const [res, fn] of [
        ['1h', 'toStartOfHour'],
        ['1d', 'toStartOfDay'],
      ] as const) {
        const sel = `${values.map((v) => `sum(${v}) AS ${v}`).join(', ')}, max(${maxCol}) AS mx`;
        const base = await q<Record<string, number>>(
          `SELECT toString(${fn}(start_time, 'UTC')) AS b, ${sel} FROM flow_metrics.${t}_1m GROUP BY b ORDER BY b`,
        );
        const rolled = await q<Record<string, number>>(
          `SELECT toString(toDateTime(start_time, 'UTC')) AS b, ${sel} FROM flow_metrics.${t}_${res} GROUP BY b ORDER BY b`,
        );
        expect(base.length, `${t}_1m`).toBeGreaterThan(0);
        expect(rolled, `${t}_${res}`).toEqual(base);
      }
    }
  });

  it('sums network metrics per minute to the stored flow logs', async () => {
    const logs = await q<Record<string, number>>(
      `SELECT toString(toStartOfMinute(end_time)) AS m, sum(byte_tx) AS b, sum(retrans_rx) AS r, count() AS f,
              countIf(close_type IN ('server_syn_miss', 'client_ack_miss')) AS cf FROM flow_log.l4_flow_log GROUP BY m ORDER BY m`,
    );
    expect(logs.reduce((n, r) => n + Number(r.f), 0)).toBe(flows.length);
    for (const t of ['network_1m', 'network_1s', 'network_map_1m']) {
      const m = await q<Record<string, number>>(
        `SELECT toString(toStartOfMinute(start_time)) AS m, sum(byte_tx) AS b, sum(retrans_rx) AS r, sum(flow) AS f,
                sum(conn_failed) AS cf FROM flow_metrics.${t} GROUP BY m ORDER BY m`,
      );
      expect(m, t).toEqual(logs);
    }
  });
});
