/**
 * The metric tables of the catalog (`application.1m`, `network_map.1h`, ...) compiled and run
 * on chDB over pre-aggregated rows shaped like the agent's (@zeroscope/wire/metrics): sums,
 * sum/count averages, and p50/p90/p99 read from summed sketch buckets within their error.
 */
import {
  type Column,
  LATENCY_SKETCH_COLUMNS,
  METRIC_COLUMNS,
  SKETCH_BUCKETS,
  SKETCH_RELATIVE_ERROR,
  sketchBucket,
} from '@zeroscope/wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CompiledSql, compileQuery } from '../src/index';
import { loadTags, openStore, type Store } from './store';
import { HOUR, T0, TAGS } from './world';

const CH: Record<string, string> = {
  u8: 'UInt8',
  u16: 'UInt16',
  u32: 'UInt32',
  u64: 'UInt64',
  lowcard: 'LowCardinality(String)',
  string: 'String',
  ip: 'IPv6',
};
const chType = (c: Column) => (c.name === 'start_time' ? 'DateTime64(6)' : CH[c.type]!);
const RANGE = { start: T0, end: T0 + HOUR };

/** latencies of service s (1..3) in minute m: a spread that makes quantiles differ per service */
const latencies = (s: number, m: number) =>
  Array.from({ length: 200 }, (_, i) => 100 * s + ((i * 7919 + m) % (5000 * s)));

function appRow(s: number, m: number, half: 0 | 1) {
  const lat = latencies(s, m).filter((_, i) => i % 2 === half);
  const row: Record<string, unknown> = {
    start_time: (T0 + m * 60) * 1e6,
    auto_service_id_1: s,
    auto_service_type_1: 0,
    ip_1: `10.0.0.${s}`,
    server_port: 80,
    l7_protocol: 'http1',
    endpoint: '/x',
    requests: lat.length + 2,
    responses: lat.length,
    client_error: s,
    server_error: 1,
    timeout: 2,
    latency_sum: lat.reduce((a, b) => a + b, 0),
    latency_count: lat.length,
    latency_max: Math.max(...lat),
  };
  const h = new Array(SKETCH_BUCKETS).fill(0);
  for (const v of lat) h[sketchBucket(v)]++;
  LATENCY_SKETCH_COLUMNS.forEach((c, i) => {
    row[c] = h[i];
  });
  return row;
}

let store: Store;
beforeAll(() => {
  store = openStore();
  loadTags(store, TAGS);
  store.exec('CREATE DATABASE IF NOT EXISTS flow_metrics');
  for (const [t, cols] of Object.entries(METRIC_COLUMNS))
    store.exec(
      `CREATE TABLE flow_metrics.${t}_1m (${cols.map((c) => `${c.name} ${chType(c)}`).join(', ')}) ENGINE = MergeTree ORDER BY start_time`,
    );
  // two agents' rows per service and minute: queries must merge them by summing
  const rows = [1, 2, 3].flatMap((s) =>
    Array.from({ length: 10 }, (_, m) => [appRow(s, m, 0), appRow(s, m, 1)]).flat(),
  );
  store.insert('flow_metrics.application_1m', rows);
  store.insert('flow_metrics.application_1m', [{ ...appRow(1, 0, 0), start_time: (T0 - 60) * 1e6 }]); // outside
  store.insert(
    'flow_metrics.network_map_1m',
    Array.from({ length: 30 }, (_, i) => ({
      start_time: (T0 + i * 60) * 1e6,
      auto_service_id_0: 1,
      auto_service_id_1: 2 + (i % 2),
      ip_0: '10.0.0.1',
      ip_1: `10.0.0.${2 + (i % 2)}`,
      byte_tx: 1000 * i,
      rtt_sum: 300,
      rtt_count: 3,
      rtt_max: 150 + i,
      conn_failed: i % 3 === 0 ? 1 : 0,
      new_flow: 4,
    })),
  );
});
afterAll(() => store?.close());

function run(text: string): unknown[][] {
  const q = compileQuery(text, RANGE);
  if (q.kind !== 'sql') throw new Error('expected SQL');
  return store.run(q as CompiledSql);
}

describe('metric tables in the query language', () => {
  it('lists the metric tables at every resolution', () => {
    const r = compileQuery('SHOW TABLES', RANGE);
    expect(JSON.stringify(r)).toContain('application.1m');
    expect(JSON.stringify(r)).toContain('network_map.1d');
  });

  it('reads RED per service from application.1m: sums, ratios, averages, sketch quantiles', () => {
    const rows = run(
      'SELECT auto_service_id, request, error, timeout, error_ratio, response_duration, response_duration_max, ' +
        'response_duration_p50, response_duration_p90, response_duration_p99 FROM application.1m GROUP BY auto_service_id ORDER BY auto_service_id',
    );
    expect(rows).toHaveLength(3);
    for (const [s, req, errors, timeouts, ratio, avg, max, p50, p90, p99] of rows as number[][]) {
      const all = Array.from({ length: 10 }, (_, m) => latencies(s!, m)).flat();
      const sorted = [...all].sort((a, b) => a - b);
      expect(Number(req)).toBe(10 * (200 + 4));
      expect(Number(errors)).toBe(10 * 2 * (s! + 1));
      expect(Number(timeouts)).toBe(40);
      expect(ratio).toBeCloseTo((20 * (s! + 1)) / (10 * 204), 9);
      expect(avg).toBeCloseTo(all.reduce((a, b) => a + b, 0) / all.length, 6);
      expect(Number(max)).toBe(sorted.at(-1));
      for (const [q, got] of [
        [0.5, p50],
        [0.9, p90],
        [0.99, p99],
      ] as const) {
        const exact = sorted[Math.ceil(q * sorted.length) - 1]!;
        expect(Math.abs(got! - exact) / exact).toBeLessThanOrEqual(SKETCH_RELATIVE_ERROR + 1e-9);
      }
    }
  });

  it('scores Apdex from the sketch buckets, exactly for a threshold on a bucket bound', () => {
    // 4.096 ms = 8 µs · 2^9 is a bucket bound; 4·T = 16.384 ms is one too
    const rows = run(
      'SELECT auto_service_id, apdex(response_duration, 4.096) AS a FROM application.1m GROUP BY auto_service_id ORDER BY auto_service_id',
    ) as number[][];
    for (const [s, score] of rows) {
      const all = Array.from({ length: 10 }, (_, m) => latencies(s!, m)).flat();
      const sat = all.filter((v) => v < 4096).length;
      const tol = all.filter((v) => v >= 4096 && v < 16384).length;
      expect(score).toBeCloseTo((sat + tol / 2) / all.length, 9);
    }
    expect(new Set(rows.map((r) => r[1])).size).toBe(3);
    expect(() => compileQuery('SELECT apdex(request, 100) FROM application.1m', RANGE)).toThrow(
      /latency metric/,
    );
    expect(() => compileQuery('SELECT apdex(response_duration) FROM application.1m', RANGE)).toThrow(
      /threshold in ms/,
    );
  });

  it('groups application.1m by time and by decoded tags', () => {
    const perMinute = run('SELECT time(time, 60) AS t, request FROM application.1m GROUP BY t');
    expect(perMinute).toHaveLength(10);
    expect(perMinute.every(([, n]) => Number(n) === 3 * 204)).toBe(true);
    const byName = run(
      "SELECT auto_service, request FROM application.1m WHERE ip = '10.0.0.2' GROUP BY auto_service",
    );
    expect(byName).toEqual([[expect.any(String), 10 * 204]]);
  });

  it('reads per-edge network metrics from network_map.1m', () => {
    const rows = run(
      'SELECT auto_service_id_0, auto_service_id_1, Sum(byte_tx) AS b, rtt, rtt_max, conn_failed_ratio FROM network_map.1m ' +
        'GROUP BY auto_service_id_0, auto_service_id_1 ORDER BY auto_service_id_1',
    );
    const edge = (k: number) => Array.from({ length: 30 }, (_, i) => i).filter((i) => i % 2 === k);
    expect(rows).toEqual([
      [1, 2, edge(0).reduce((a, i) => a + 1000 * i, 0), 100, 150 + 28, 5 / 60],
      [1, 3, edge(1).reduce((a, i) => a + 1000 * i, 0), 100, 150 + 29, 5 / 60],
    ]);
  });

  it('refuses aggregating a sketch quantile again', () => {
    expect(() => compileQuery('SELECT Avg(response_duration_p99) FROM application.1m', RANGE)).toThrow(
      /sketch/,
    );
  });
});
