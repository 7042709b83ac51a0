import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN, RANGE as GOLDEN_RANGE } from '../src/golden.cases';
import { type CompiledSql, compileQuery } from '../src/index';
import { loadTags, openStore, type Store } from './store';
import { autoServiceName, flowLogs, HOUR, podName, requestLogs, T0, TAGS } from './world';

const RANGE = { start: T0, end: T0 + HOUR };
const l7 = requestLogs(4000);
const l4 = flowLogs(1000);
let store: Store;

beforeAll(() => {
  store = openStore();
  loadTags(store, TAGS);
  store.insert('flow_log.l7_flow_log', l7);
  store.insert('flow_log.l4_flow_log', l4);
  // Rows outside the range must never be counted.
  store.insert(
    'flow_log.l7_flow_log',
    requestLogs(50, 9).map((r) => ({ ...r, start_time: (T0 - 10) * 1e6 })),
  );
});
afterAll(() => store?.close());

function run(text: string, range = RANGE): { columns: string[]; rows: unknown[][] } {
  const q = compileQuery(text, range);
  if (q.kind !== 'sql') throw new Error('expected SQL');
  return { columns: q.columns, rows: store.run(q as CompiledSql) };
}
const count = <T>(xs: T[], f: (x: T) => boolean) => xs.filter(f).length;
const isErr = (r: Record<string, unknown>) =>
  r.response_status === 'client_error' || r.response_status === 'server_error';

describe('compiled queries on chDB', () => {
  it('service map: edges by auto_service with requests, errors and average latency', () => {
    const { columns, rows } = run(
      'SELECT auto_service_0, auto_service_1, Count(row) AS requests, Sum(error) AS errors, Avg(response_duration) AS latency ' +
        'FROM l7_flow_log GROUP BY auto_service_0, auto_service_1 ORDER BY requests DESC',
    );
    expect(columns).toEqual(['auto_service_0', 'auto_service_1', 'requests', 'errors', 'latency']);
    const want = new Map<string, { n: number; e: number; d: number }>();
    for (const r of l7) {
      const k = `${autoServiceName(r, 0)} -> ${autoServiceName(r, 1)}`;
      const v = want.get(k) ?? { n: 0, e: 0, d: 0 };
      v.n++;
      v.e += isErr(r) ? 1 : 0;
      v.d += r.response_duration as number;
      want.set(k, v);
    }
    expect(rows.length).toBe(want.size);
    for (const [a, b, n, e, d] of rows) {
      const w = want.get(`${a} -> ${b}`)!;
      expect(w, `${a} -> ${b}`).toBeDefined();
      expect([Number(n), Number(e)]).toEqual([w.n, w.e]);
      expect(Number(d)).toBeCloseTo(w.d / w.n, 3);
    }
    expect(rows.map((r) => `${r[0]} -> ${r[1]}`)).toContain('10.1.2.3 -> frontend');
    expect(rows.map((r) => `${r[0]} -> ${r[1]}`)).toContain('nginx -> cart');
    expect(Number(rows[0]![2])).toBeGreaterThanOrEqual(Number(rows.at(-1)![2]));
  });

  it('filters resource names on either end, one end, negated, IN and LIKE', () => {
    const n = (w: string) => Number(run(`SELECT Count(row) FROM l7_flow_log WHERE ${w}`).rows[0]![0]);
    expect(n(`pod = 'cart-5c1'`)).toBe(
      count(l7, (r) => podName(r, 0) === 'cart-5c1' || podName(r, 1) === 'cart-5c1'),
    );
    expect(n(`pod_1 = 'cart-5c1'`)).toBe(count(l7, (r) => podName(r, 1) === 'cart-5c1'));
    expect(n(`pod_ns != 'data'`)).toBe(count(l7, (r) => r.pod_ns_id_0 !== 2 && r.pod_ns_id_1 !== 2));
    expect(n(`pod_1 IN ('db-0', 'frontend-7d9')`)).toBe(
      count(l7, (r) => [4, 1].includes(r.pod_id_1 as number)),
    );
    expect(n(`pod_1 LIKE 'cart-%'`)).toBe(count(l7, (r) => podName(r, 1).startsWith('cart-')));
    expect(n(`NOT (pod_group_1 = 'cart' OR pod_group_1 = 'db')`)).toBe(
      count(l7, (r) => r.pod_group_id_1 !== 2 && r.pod_group_id_1 !== 3),
    );
    expect(n(`pod_1 = 'no-such-pod'`)).toBe(0);
  });

  it('filters auto_service by service, process and IP names', () => {
    const n = (w: string) => Number(run(`SELECT Count(row) FROM l7_flow_log WHERE ${w}`).rows[0]![0]);
    expect(n(`auto_service_0 = '10.1.2.3'`)).toBe(count(l7, (r) => r.ip_0 === '10.1.2.3'));
    expect(n(`auto_service_0 = 'nginx'`)).toBe(count(l7, (r) => r.gprocess_id_0 === 7));
    expect(n(`auto_service = 'db'`)).toBe(count(l7, (r) => r.service_id_1 === 3));
    expect(n(`auto_instance_1 LIKE 'cart%'`)).toBe(count(l7, (r) => [2, 3].includes(r.pod_id_1 as number)));
  });

  it('groups and filters by custom tags', () => {
    const { rows } = run(
      "SELECT k8s.label.app_1 AS app, Count(row) FROM l7_flow_log WHERE k8s.label.app_0 = 'frontend' GROUP BY app ORDER BY app",
    );
    const want = new Map<string, number>();
    for (const r of l7) {
      if (r.pod_id_0 !== 1) continue;
      const app = { 2: 'cart', 3: 'cart' }[r.pod_id_1 as 2 | 3] ?? '';
      want.set(app, (want.get(app) ?? 0) + 1);
    }
    expect(rows.map((r) => [r[0], Number(r[1])])).toEqual([...want.entries()].sort());
    const team = run("SELECT Count(row) FROM l7_flow_log WHERE k8s.annotation.team = 'storage'").rows;
    expect(Number(team[0]![0])).toBe(count(l7, (r) => r.pod_id_1 === 4 || r.pod_id_0 === 4));
  });

  it('pages request logs with raw rows, decoded names and IPs', () => {
    const { rows } = run(
      "SELECT start_time, pod_0, ip_0, endpoint, response_duration FROM l7_flow_log WHERE l7_protocol = 'http1' AND response_duration > 50000 ORDER BY start_time DESC LIMIT 20",
    );
    const want = l7
      .filter((r) => r.l7_protocol === 'http1' && (r.response_duration as number) > 50000)
      .sort((a, b) => (b.start_time as number) - (a.start_time as number))
      .slice(0, 20)
      .map((r) => [r.start_time, podName(r, 0), r.ip_0, r.endpoint, r.response_duration]);
    expect(rows.map((r) => [Number(r[0]), r[1], r[2], r[3], Number(r[4])])).toEqual(want);
  });

  it('buckets time, keeps the top series and computes rates, ratios and percentiles', () => {
    const { rows } = run(
      'SELECT time(time, 600) AS t, pod_1, Count(row) AS n, rate(request), error_ratio, Percentile(response_duration, 50) ' +
        'FROM l7_flow_log GROUP BY t, pod_1 SLIMIT 2',
    );
    const per = new Map<string, number>();
    for (const r of l7) per.set(podName(r, 1), (per.get(podName(r, 1)) ?? 0) + 1);
    const top = [...per.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 2)
      .map(([k]) => k);
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(top));
    const buckets = new Set(l7.map((r) => Math.floor((r.start_time as number) / 600e6)));
    expect(rows.length).toBe(buckets.size * 2);
    for (const [t, pod, n, rate, ratio, p50] of rows) {
      const inBucket = l7.filter(
        (r) => podName(r, 1) === pod && Math.floor((r.start_time as number) / 600e6) * 600 === Number(t),
      );
      expect(Number(n)).toBe(inBucket.length);
      expect(Number(rate)).toBeCloseTo(inBucket.length / 600, 6);
      expect(Number(ratio)).toBeCloseTo(count(inBucket, isErr) / inBucket.length, 6);
      const d = inBucket.map((r) => r.response_duration as number).sort((a, b) => a - b);
      expect(Number(p50)).toBeGreaterThanOrEqual(d[Math.floor(d.length * 0.4)]!);
      expect(Number(p50)).toBeLessThanOrEqual(d[Math.ceil(d.length * 0.6)]!);
    }
    expect(rows.map((r) => Number(r[0]))).toEqual([...rows.map((r) => Number(r[0]))].sort((a, b) => a - b));
  });

  it('scores Apdex per pod from raw request durations', () => {
    const { rows } = run('SELECT pod_1, apdex(response_duration, 20) AS a FROM l7_flow_log GROUP BY pod_1');
    expect(rows.length).toBeGreaterThan(1);
    for (const [pod, score] of rows) {
      const d = l7.filter((r) => podName(r, 1) === pod).map((r) => r.response_duration as number);
      const sat = d.filter((v) => v <= 20_000).length;
      const tol = d.filter((v) => v > 20_000 && v <= 80_000).length;
      expect(Number(score)).toBeCloseTo((sat + tol / 2) / d.length, 9);
    }
  });

  it('applies HAVING and the time range', () => {
    const { rows } = run(
      'SELECT pod_1, Count(row) AS n FROM l7_flow_log GROUP BY pod_1 HAVING n > 900 ORDER BY pod_1',
    );
    const per = new Map<string, number>();
    for (const r of l7) per.set(podName(r, 1), (per.get(podName(r, 1)) ?? 0) + 1);
    expect(rows.map((r) => [r[0], Number(r[1])])).toEqual(
      [...per.entries()].filter(([, v]) => v > 900).sort(),
    );
    const early = run('SELECT Count(row) FROM l7_flow_log', { start: T0 - 20, end: T0 });
    expect(Number(early.rows[0]![0])).toBe(50);
  });

  it('treats hostile values as data', () => {
    for (const v of ["' OR 1=1 --", "x'); DROP TABLE flow_log.l7_flow_log; --", '\\\\', '%']) {
      const lit = `'${v.replace(/'/g, "''")}'`;
      const { rows } = run(`SELECT Count(row) FROM l7_flow_log WHERE endpoint = ${lit} OR pod = ${lit}`);
      expect(rows.map((r) => Number(r[0]))).toEqual([0]);
    }
    expect(Number(run('SELECT Count(row) FROM l7_flow_log').rows[0]![0])).toBe(l7.length);
  });

  it('answers SHOW TAG ... VALUES from dictionaries and from observed values', () => {
    const pods = compileQuery('SHOW TAG pod VALUES FROM l7_flow_log', RANGE) as CompiledSql;
    expect(store.run(pods).map((r) => r[0])).toEqual(['cart-5c1', 'cart-5c2', 'db-0', 'frontend-7d9']);
    const apps = compileQuery(
      "SHOW TAG k8s.label.app VALUES FROM l7_flow_log WHERE value LIKE 'c%'",
      RANGE,
    ) as CompiledSql;
    expect(store.run(apps)).toEqual([['cart']]);
    const eps = compileQuery('SHOW TAG endpoint VALUES FROM l7_flow_log LIMIT 3', RANGE) as CompiledSql;
    const got = store.run(eps);
    expect(got.length).toBe(3);
    expect(Number(got[0]![1])).toBeGreaterThanOrEqual(Number(got[2]![1]));
  });

  it('runs l4 metrics: sums, non-zero RTT averages and failed connections', () => {
    const { rows } = run(
      "SELECT auto_service_1, Sum(byte), Avg(rtt), Sum(conn_failed), retrans_ratio FROM l4_flow_log WHERE ip_0 = '10.0.0.1' GROUP BY auto_service_1 ORDER BY auto_service_1",
    );
    const mine = l4.filter((r) => r.ip_0 === '10.0.0.1');
    const names = [...new Set(mine.map((r) => autoServiceName(r, 1)))].sort();
    expect(rows.map((r) => r[0])).toEqual(names);
    for (const [svc, bytes, rtt, failed, retrans] of rows) {
      const g = mine.filter((r) => autoServiceName(r, 1) === svc);
      expect(Number(bytes)).toBe(g.reduce((s, r) => s + (r.byte_tx as number) + (r.byte_rx as number), 0));
      const rtts = g.map((r) => r.rtt as number).filter((x) => x > 0);
      expect(Number(rtt)).toBeCloseTo(rtts.reduce((a, b) => a + b, 0) / rtts.length, 6);
      expect(Number(failed)).toBe(count(g, (r) => r.close_type === 'server_syn_miss'));
      expect(Number(retrans)).toBeCloseTo(
        g.reduce((s, r) => s + (r.retrans_tx as number), 0) / (g.length * 30),
        6,
      );
    }
  });

  it.each(GOLDEN.map(([q]) => [q]))('golden query runs: %s', (q) => {
    const r = compileQuery(q, GOLDEN_RANGE);
    expect(() => store.run(r as CompiledSql)).not.toThrow();
  });
});
