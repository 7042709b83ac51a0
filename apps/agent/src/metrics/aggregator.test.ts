import {
  emptyRequestLog,
  type FlowLog,
  type MetricRecord,
  type RequestLog,
  SKETCH_RELATIVE_ERROR,
  sketchColumns,
  sketchQuantile,
} from '@zeroscope/wire';
import { sampleFlowLogs } from '@zeroscope/wire/sample';
import { describe, expect, it } from 'vitest';
import { MetricsAggregator } from './aggregator';

const T0 = 1_700_000_040_000_000; // a minute boundary (µs)
const HIST = sketchColumns('latency');

function req(at: number, fields: Partial<RequestLog> = {}): RequestLog {
  return {
    ...emptyRequestLog(),
    start_time: at,
    end_time: at + 1000,
    response_duration: 1000,
    l7_protocol: 'http1',
    endpoint: '/api',
    ip_0: '10.0.0.1',
    ip_1: '10.0.0.2',
    client_port: 40000,
    server_port: 80,
    response_status: 'ok',
    ...fields,
  };
}

function collect() {
  const rows: MetricRecord[] = [];
  const agg = new MetricsAggregator({ emit: (r) => rows.push(r) });
  const of = (kind: string) => rows.filter((r) => r.kind === kind);
  const total = (kind: string, col: string) => of(kind).reduce((n, r) => n + (r[col] as number), 0);
  return { agg, rows, of, total };
}

describe('MetricsAggregator: application', () => {
  it('counts requests, error classes and timeouts per server key and per edge', () => {
    const { agg, of, total } = collect();
    agg.onRecord(req(T0 + 1, { response_status: 'ok', response_duration: 100 }));
    agg.onRecord(req(T0 + 2, { response_status: 'client_error', response_duration: 300 }));
    agg.onRecord(req(T0 + 3, { response_status: 'server_error', response_duration: 500 }));
    agg.onRecord(req(T0 + 4, { response_status: 'timeout', response_duration: 0 }));
    agg.onRecord(req(T0 + 5, { ip_0: '10.0.0.9', response_duration: 50 })); // another client
    agg.onRecord(req(T0 + 6, { endpoint: '/other' }));
    agg.flush();
    const app = of('application_1m');
    expect(app).toHaveLength(2); // two endpoints; the clients merge on the server side
    const api = app.find((r) => r.endpoint === '/api')!;
    expect(api).toMatchObject({
      start_time: T0,
      ip_1: '10.0.0.2',
      server_port: 80,
      l7_protocol: 'http1',
      requests: 5,
      responses: 4,
      client_error: 1,
      server_error: 1,
      timeout: 1,
      latency_sum: 950,
      latency_count: 4,
      latency_max: 500,
    });
    expect(HIST.reduce((n, c) => n + (api[c] as number), 0)).toBe(4);
    expect(of('application_map_1m')).toHaveLength(3); // edges: (.1,/api) (.9,/api) (.1,/other)
    expect(total('application_map_1m', 'requests')).toBe(6);
    expect(total('application_1s', 'requests')).toBe(6);
  });

  it('windows by start time: 1 s rows per second, 1 m rows per minute', () => {
    const { agg, of, total } = collect();
    for (let s = 0; s < 120; s++) agg.onRecord(req(T0 + s * 1_000_000 + 500));
    agg.flush();
    expect(of('application_1s')).toHaveLength(120);
    expect(new Set(of('application_1s').map((r) => r.start_time)).size).toBe(120);
    expect(of('application_1m').map((r) => [r.start_time, r.requests])).toEqual([
      [T0, 60],
      [T0 + 60_000_000, 60],
    ]);
    expect(total('application_1s', 'requests')).toBe(120);
  });

  it('emits closed windows on tick after the grace period, late records as extra rows', () => {
    const { agg, of, total } = collect();
    agg.onRecord(req(T0 + 100));
    expect(agg.tick(T0 + 2_500_000)).toBe(0); // 1 s window ends at +1 s, grace 2 s
    expect(agg.tick(T0 + 3_000_000)).toBe(2); // application_1s + application_map_1s
    agg.onRecord(req(T0 + 200)); // late: its 1 s window was already shipped
    agg.tick(T0 + 3_000_001);
    expect(of('application_1s').map((r) => r.requests)).toEqual([1, 1]);
    expect(of('application_1m')).toHaveLength(0);
    agg.tick(T0 + 65_000_000);
    expect(total('application_1m', 'requests')).toBe(2);
    expect(agg.stats.openKeys).toBe(0);
  });

  it('keeps a sketch whose quantiles are within the bucket error', () => {
    const { agg, of } = collect();
    const durations: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const d = 50 + ((i * 7919) % 100_000);
      durations.push(d);
      agg.onRecord(req(T0 + i, { response_duration: d }));
    }
    agg.flush();
    const row = of('application_1m')[0]!;
    const hist = HIST.map((c) => row[c] as number);
    durations.sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = durations[Math.ceil(q * durations.length) - 1]!;
      expect(Math.abs(sketchQuantile(hist, q) - exact) / exact).toBeLessThanOrEqual(SKETCH_RELATIVE_ERROR);
    }
  });

  it('drops (and counts) new keys past the key limit', () => {
    const rows: MetricRecord[] = [];
    const agg = new MetricsAggregator({ emit: (r) => rows.push(r), maxKeys: 3 });
    for (let i = 0; i < 5; i++) agg.onRecord(req(T0, { endpoint: `/e${i}` }));
    expect(agg.stats.dropped).toBe(4 * 2); // two endpoints over the limit, in four tables
  });
});

describe('MetricsAggregator: network', () => {
  it('sums flow-log deltas, delays and connection failures by end time', () => {
    const { agg, of, total } = collect();
    const flows: FlowLog[] = sampleFlowLogs(50, 3, T0).map((f, i) => ({
      ...f,
      end_time: T0 + i * 1_000_000,
      start_time: T0 + i * 1_000_000 - 500,
      duration: 500,
      close_type: i % 10 === 0 ? 'server_syn_miss' : i % 10 === 1 ? 'server_rst' : 'normal',
    }));
    for (const f of flows) agg.onFlowLog(f);
    agg.flush();
    const sum = (k: keyof FlowLog) => flows.reduce((n, f) => n + (f[k] as number), 0);
    for (const kind of ['network_1s', 'network_1m', 'network_map_1s', 'network_map_1m']) {
      expect(total(kind, 'byte_tx')).toBe(sum('byte_tx'));
      expect(total(kind, 'packet_rx')).toBe(sum('packet_rx'));
      expect(total(kind, 'retrans_rx')).toBe(sum('retrans_rx'));
      expect(total(kind, 'flow')).toBe(50);
      expect(total(kind, 'new_flow')).toBe(50);
      expect(total(kind, 'conn_failed')).toBe(5);
      expect(total(kind, 'server_rst')).toBe(5);
      expect(total(kind, 'rtt_count')).toBe(flows.filter((f) => f.rtt > 0).length);
      expect(total(kind, 'rtt_sum')).toBe(sum('rtt'));
    }
    expect(of('network_1m')).toHaveLength(2); // fd00::1 and 10.0.9.1 servers
    expect(Math.max(...of('network_1m').map((r) => r.rtt_max as number))).toBe(
      Math.max(...flows.map((f) => f.rtt)),
    );
  });
});
