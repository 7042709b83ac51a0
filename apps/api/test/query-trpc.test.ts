/** The tRPC `query` router the UI uses: run, catalog listings and tag-value autocomplete. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/auth/types';
import { DEFAULT_LIMITS } from '../src/query/limits';
import { createCaller } from '../src/trpc/router';
import { ADMIN_TOKEN, cluster, RANGE, startTestApi, type TestApi } from './query-helpers';

const RECORDS = cluster(200);
const viewer: Principal = { kind: 'user', id: '1', name: 'v', role: 'viewer', scope: 'api' };

describe('tRPC query', { timeout: 60_000 }, () => {
  let api: TestApi;
  const caller = () => createCaller({ api: api.ctx, principal: viewer });

  beforeAll(async () => {
    api = await startTestApi(RECORDS, DEFAULT_LIMITS);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it('needs a principal with api scope', async () => {
    const anon = createCaller({ api: api.ctx, principal: undefined });
    await expect(anon.query.tables()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const agent = createCaller({ api: api.ctx, principal: { ...viewer, scope: 'agent' } });
    await expect(agent.query.run({ sql: 'SHOW TABLES', ...RANGE })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('runs a query with the same result shape as POST /v1/query', async () => {
    const r = await caller().query.run({
      sql: 'SELECT auto_service_1, Count(row) AS n FROM l7_flow_log GROUP BY auto_service_1 ORDER BY auto_service_1',
      ...RANGE,
    });
    expect(r).toEqual({
      columns: ['auto_service_1', 'n'],
      values: [
        ['cart', 100],
        ['db', 100],
      ],
    });
  });

  it('reports query errors as BAD_REQUEST with position and expected in the message', async () => {
    const err = await caller()
      .query.run({ sql: 'SELECT FROM l7_flow_log', ...RANGE })
      .catch((e: unknown) => e as { code: string; message: string });
    expect(err).toMatchObject({ code: 'BAD_REQUEST' });
    expect(JSON.parse((err as { message: string }).message)).toMatchObject({
      error: 'query_parse',
      position: 7,
    });
    await expect(caller().query.run({ sql: 'SHOW TABLES', start: 10, end: 5 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const wide = await caller()
      .query.run({ sql: 'SHOW TABLES', start: 0, end: 400 * 86_400 })
      .catch((e: unknown) => e as { message: string });
    expect(JSON.parse((wide as { message: string }).message)).toMatchObject({ error: 'range_too_large' });
  });

  it('lists tables, tags and metrics', async () => {
    const tables = await caller().query.tables();
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['l7_flow_log', 'l4_flow_log']));
    const tags = await caller().query.tags({ table: 'l7_flow_log' });
    expect(tags.find((t) => t.name === 'pod_1')).toMatchObject({ type: 'resource' });
    expect(tags.some((t) => t.name.startsWith('k8s.label.'))).toBe(true);
    const metrics = await caller().query.metrics({ table: 'l4_flow_log' });
    expect(metrics.map((m) => m.name)).toContain('rtt');
    await expect(caller().query.tags({ table: 'nope' as 'l7_flow_log' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('autocompletes tag values by substring, quotes included safely', async () => {
    const pods = await caller().query.tagValues({
      table: 'l7_flow_log',
      tag: 'pod_1',
      search: 'cart',
      ...RANGE,
    });
    expect(pods.values.map((v) => v[0])).toEqual(['cart-5c1', 'cart-5c2']);
    const endpoints = await caller().query.tagValues({
      table: 'l7_flow_log',
      tag: 'endpoint',
      search: 'api/1',
      ...RANGE,
    });
    expect(endpoints.values.map((v) => v[0])).toEqual(['/api/1']);
    const quotes = await caller().query.tagValues({
      table: 'l7_flow_log',
      tag: 'endpoint',
      search: "x' OR '1'='1",
      ...RANGE,
    });
    expect(quotes.values).toEqual([]);
    const statuses = await caller().query.tagValues({
      table: 'l7_flow_log',
      tag: 'response_status',
      ...RANGE,
    });
    expect(statuses.values.map((v) => v[0])).toContain('server_error');
    await expect(
      caller().query.tagValues({ table: 'l7_flow_log', tag: 'no_such_tag', ...RANGE }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('serves the UI over HTTP with a bearer token', async () => {
    const input = encodeURIComponent(
      JSON.stringify({ table: 'l7_flow_log', tag: 'pod', search: 'db', ...RANGE }),
    );
    const res = await fetch(`${api.base}/trpc/query.tagValues?input=${input}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: { values: unknown[][] } } };
    expect(body.result.data.values).toEqual([['db-0', 4]]);
    expect((await fetch(`${api.base}/trpc/query.tables`)).status).toBe(401);
  });
});
