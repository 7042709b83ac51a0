/**
 * POST /v1/query over the real stack: request logs streamed in by an agent Sender through
 * the agent link into embedded chDB, names in the flow_tag dictionaries, bearer-token auth.
 */
import type { RequestLog } from '@zeroscope/wire/records';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../src/query/limits';
import {
  AGENT_TOKEN,
  cluster,
  NOW_S,
  PODS,
  postQuery,
  RANGE,
  startTestApi,
  type TestApi,
} from './query-helpers';

const RECORDS = cluster(400);
const SMALL = { ...DEFAULT_LIMITS, maxRows: 5, maxBodyBytes: 2048, maxRangeSeconds: 3600 };
const podName = (id: number | undefined) => PODS.find(([i]) => i === id)![1];

function countBy(key: (r: RequestLog) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of RECORDS) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return m;
}

describe('POST /v1/query', { timeout: 60_000 }, () => {
  let api: TestApi;
  const q = (sql: string, range = RANGE) => postQuery(api.base, { sql, ...range });

  beforeAll(async () => {
    api = await startTestApi(RECORDS, SMALL);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it('needs an api-scoped bearer token', async () => {
    const none = await postQuery(api.base, { sql: 'SHOW TABLES', ...RANGE }, null);
    expect(none.status).toBe(401);
    expect(none.body.error).toBe('unauthorized');
    expect((await postQuery(api.base, { sql: 'SHOW TABLES', ...RANGE }, 'zsk_wrong')).status).toBe(401);
    const agent = await postQuery(api.base, { sql: 'SHOW TABLES', ...RANGE }, AGENT_TOKEN);
    expect(agent.status).toBe(403);
  });

  it('groups by resource tags decoded from the dictionaries', async () => {
    const r = await q(
      'SELECT pod_0, pod_1, Count(row) AS requests, Sum(error) AS errors FROM l7_flow_log GROUP BY pod_0, pod_1 ORDER BY requests DESC',
    );
    expect(r.status).toBe(200);
    expect(r.body.columns).toEqual(['pod_0', 'pod_1', 'requests', 'errors']);
    const want = countBy((x) => `${podName(x.pod_id_0)} -> ${podName(x.pod_id_1)}`);
    const got = new Map(r.body.values!.map((v) => [`${v[0]} -> ${v[1]}`, Number(v[2])]));
    expect(got).toEqual(want);
    const errors = r.body.values!.reduce((n, v) => n + Number(v[3]), 0);
    expect(errors).toBe(RECORDS.filter((x) => x.response_status === 'server_error').length);
  });

  it('groups by auto_service and custom labels', async () => {
    const r = await q(
      'SELECT auto_service_1, k8s.label.app_1, Count(row) AS n FROM l7_flow_log GROUP BY auto_service_1, k8s.label.app_1 ORDER BY auto_service_1',
    );
    expect(r.status).toBe(200);
    expect(r.body.values).toEqual([
      ['cart', 'shop', 200],
      ['db', 'mysql', 200],
    ]);
  });

  it('filters by tags, fields and numbers, within the time range only', async () => {
    const n = async (where: string, range = RANGE) =>
      Number((await q(`SELECT Count(row) FROM l7_flow_log WHERE ${where}`, range)).body.values![0]![0]);
    expect(await n(`pod_1 = 'cart-5c1'`)).toBe(RECORDS.filter((x) => x.pod_id_1 === 2).length);
    expect(await n(`pod = 'frontend-7d9'`)).toBe(RECORDS.filter((x) => x.pod_id_0 === 1).length);
    expect(await n(`auto_service_1 = 'db' AND response_code >= 500`)).toBe(
      RECORDS.filter((x) => x.pod_id_1 === 4 && x.response_code >= 500).length,
    );
    expect(await n(`endpoint IN ('/api/1', '/api/2') AND l7_protocol = 'http1'`)).toBe(
      RECORDS.filter((x) => x.endpoint === '/api/1' || x.endpoint === '/api/2').length,
    );
    expect(await n(`ip_1 = '10.0.0.4'`)).toBe(RECORDS.filter((x) => x.ip_1 === '10.0.0.4').length);
    // The records are 5 minutes old: an earlier window holds none of them.
    expect(await n(`pod_1 != 'x'`, { start: NOW_S - 3600, end: NOW_S - 1800 })).toBe(0);
  });

  it('returns times as µs and rows in the requested order', async () => {
    const r = await q(
      "SELECT start_time, endpoint, response_duration FROM l7_flow_log WHERE pod_1 = 'cart-5c2' ORDER BY start_time DESC LIMIT 3",
    );
    expect(r.status).toBe(200);
    const want = RECORDS.filter((x) => x.pod_id_1 === 3)
      .sort((a, b) => b.start_time - a.start_time)
      .slice(0, 3)
      .map((x) => [x.start_time, x.endpoint, x.response_duration]);
    expect(r.body.values).toEqual(want);
  });

  it('answers SHOW statements in the same shape', async () => {
    const tables = await q('SHOW TABLES');
    expect(tables.status).toBe(200);
    expect(tables.body.columns).toEqual(['name', 'description']);
    expect(tables.body.values!.map((v) => v[0])).toEqual(
      expect.arrayContaining(['l7_flow_log', 'l4_flow_log']),
    );
    const tags = await q('SHOW TAGS FROM l7_flow_log');
    expect(tags.body.columns).toEqual(['name', 'type', 'description']);
    expect(tags.body.values!.map((v) => v[0])).toEqual(
      expect.arrayContaining(['pod_1', 'auto_service', 'endpoint']),
    );
    const metrics = await q('SHOW METRICS FROM l7_flow_log');
    expect(metrics.body.columns).toEqual(['name', 'type', 'unit', 'description']);
    expect(metrics.body.values!.map((v) => v[0])).toContain('response_duration');
    const pods = await q("SHOW TAG pod VALUES FROM l7_flow_log WHERE value LIKE 'cart%'");
    expect(pods.status).toBe(200);
    expect(pods.body.values).toEqual([
      ['cart-5c1', 2],
      ['cart-5c2', 3],
    ]);
    const endpoints = await q('SHOW TAG endpoint VALUES FROM l7_flow_log');
    expect(endpoints.body.columns).toEqual(['value', 'count']);
    expect(new Map(endpoints.body.values!.map((v) => [v[0], v[1]]))).toEqual(countBy((x) => x.endpoint));
  });

  it('reports a syntax error with its position and what was expected', async () => {
    const bad = 'SELECT pod_1 FROM l7_flow_log GROUP pod_1';
    const r = await q(bad);
    expect(r.status).toBe(400);
    // Points at the token after GROUP, where BY belongs.
    expect(r.body).toMatchObject({ error: 'query_parse', position: bad.lastIndexOf('pod_1') });
    expect(r.body.expected).toContain('BY');
    const unknown = await q('SELECT no_such_tag FROM l7_flow_log');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: 'query_resolve', position: 7 });
  });

  it('refuses injection attempts with a clear error and leaves the data alone', async () => {
    const stacked = await q('SELECT endpoint FROM l7_flow_log; DROP TABLE flow_log.l7_flow_log');
    expect(stacked.status).toBe(400);
    expect(stacked.body).toMatchObject({ error: 'query_lex', position: 32 });
    expect(String(stacked.body.message)).toMatch(/one statement/);
    const comment = await q("SELECT endpoint FROM l7_flow_log WHERE endpoint = 'x' -- '");
    expect(comment.status).toBe(400);
    expect(comment.body.error).toBe('query_lex');
    const fn = await q('SELECT file(1) FROM l7_flow_log');
    expect(fn.status).toBe(400);
    // Quotes inside a string are a value, never SQL.
    const quoted = await q("SELECT Count(row) FROM l7_flow_log WHERE endpoint = 'x'' OR ''1''=''1'");
    expect(quoted.status).toBe(200);
    expect(quoted.body.values).toEqual([[0]]);
    const all = await q('SELECT Count(row) FROM l7_flow_log');
    expect(all.body.values).toEqual([[RECORDS.length]]);
  });

  it('clamps rows to the configured maximum', async () => {
    const small = (sql: string) => postQuery(api.smallBase, { sql, ...RANGE });
    const limited = await small('SELECT flow_id FROM l7_flow_log ORDER BY flow_id LIMIT 1000');
    expect(limited.status).toBe(200);
    expect(limited.body.values).toEqual([[0], [1], [2], [3], [4]]);
    const unlimited = await small('SELECT flow_id, endpoint FROM l7_flow_log');
    expect(unlimited.body.values).toHaveLength(5);
    const tagValues = await small('SHOW TAG request_resource VALUES FROM l7_flow_log LIMIT 50');
    expect(tagValues.body.values).toHaveLength(5);
    // The default API clamps at 10 000 and returns everything here.
    expect((await q('SELECT flow_id FROM l7_flow_log')).body.values).toHaveLength(RECORDS.length);
  });

  it('rejects malformed requests with 400 and oversized bodies with 413', async () => {
    const post = (body: unknown) => postQuery(api.smallBase, body);
    expect(await post('{"sql": ')).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(await post({ sql: 'SHOW TABLES', end: RANGE.end })).toMatchObject({
      status: 400,
      body: { error: 'bad_request', message: expect.stringMatching(/missing "start"/) },
    });
    expect(await post({ sql: 'SHOW TABLES', start: 'yesterday', end: 5 })).toMatchObject({ status: 400 });
    expect(await post({ start: 1, end: 2 })).toMatchObject({
      status: 400,
      body: { message: expect.stringMatching(/sql/) },
    });
    expect(await post({ sql: 'SHOW TABLES', start: 10, end: 5 })).toMatchObject({
      status: 400,
      body: { message: expect.stringMatching(/not be after/) },
    });
    expect(await post({ sql: 'SHOW TABLES', start: 0, end: 7200 })).toMatchObject({
      status: 400,
      body: { error: 'range_too_large' },
    });
    const big = await post({
      sql: `SELECT endpoint FROM l7_flow_log WHERE endpoint = '${'x'.repeat(4096)}'`,
      ...RANGE,
    });
    expect(big).toMatchObject({ status: 413, body: { error: 'body_too_large' } });
  });

  it('counts outcomes', () => {
    const s = api.query.stats();
    expect(s.ok).toBeGreaterThan(10);
    expect(s.failed.query_parse).toBeGreaterThanOrEqual(1);
    expect(s.failed.query_lex).toBeGreaterThanOrEqual(2);
  });
});
