/**
 * Query limits and cancellation on embedded chDB: the engine's own deadline
 * (max_execution_time), a client that disconnects mid-query, and aborts at the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../src/query/limits';
import { StorageError } from '../src/storage/types';
import { waitFor } from './link-helpers';
import { ADMIN_TOKEN, NOW_S, postQuery, RANGE, startTestApi, type TestApi } from './query-helpers';

const ROWS = 2_000_000;
// Grouping 2M distinct strings takes far longer than 10 ms on any machine.
const SLOW =
  'SELECT request_resource, Count(row) AS n FROM l7_flow_log GROUP BY request_resource ORDER BY n DESC';

describe('query limits and cancellation', { timeout: 120_000 }, () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi([], { ...DEFAULT_LIMITS, maxExecutionSeconds: 0.01 });
    await api.ctx.telemetry.command(
      `INSERT INTO flow_log.l7_flow_log (start_time, end_time, request_resource, l7_protocol, response_status)
       SELECT fromUnixTimestamp64Micro(toInt64(${(NOW_S - 300) * 1_000_000} + number)) AS st, st,
              concat('/r/', toString(number)), 'http1', 'ok'
       FROM numbers(${ROWS})`,
    );
  }, 180_000);
  afterAll(async () => {
    await api?.close();
  });

  it('stops a query at the engine deadline with 504', async () => {
    const r = await postQuery(api.smallBase, { sql: SLOW, ...RANGE });
    expect(r).toMatchObject({ status: 504, body: { error: 'query_timeout' } });
  });

  it('cancels when the HTTP client goes away, and keeps serving', async () => {
    const ctl = new AbortController();
    const pending = fetch(`${api.base}/v1/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ sql: SLOW, ...RANGE }),
      signal: ctl.signal,
    });
    setTimeout(() => ctl.abort(), 50);
    await expect(pending).rejects.toThrow();
    await waitFor(
      () => (api.query.stats().failed.query_cancelled ?? 0) === 1,
      30_000,
      'cancelled query counted',
    );
    const r = await postQuery(api.base, { sql: 'SELECT Count(row) FROM l7_flow_log', ...RANGE });
    expect(r).toMatchObject({ status: 200, body: { values: [[ROWS]] } });
  });

  it('rejects an aborted store query as cancelled, running or still queued', async () => {
    const store = api.ctx.telemetry;
    const running = new AbortController();
    const queued = new AbortController();
    const a = store.query('SELECT sleep(1) AS s', {}, { signal: running.signal });
    const b = store.query('SELECT 1 AS one', {}, { signal: queued.signal });
    queued.abort();
    running.abort();
    await expect(a).rejects.toMatchObject({ code: 'cancelled' });
    await expect(b).rejects.toBeInstanceOf(StorageError);
    await expect(b).rejects.toMatchObject({ code: 'cancelled' });
    const pre = new AbortController();
    pre.abort();
    await expect(store.query('SELECT 1', {}, { signal: pre.signal })).rejects.toMatchObject({
      code: 'cancelled',
    });
    expect(await store.query('SELECT 2 AS two')).toEqual([{ two: 2 }]);
  });
});
