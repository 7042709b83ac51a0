/** The real API process (apps/api/src/main.ts) serves POST /v1/query. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, freePort, startApi } from './link-helpers';
import { postQuery, RANGE } from './query-helpers';

describe('API process', { timeout: 60_000 }, () => {
  let dir: string;
  let api: ApiProcess;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zs-query-main-'));
    const port = await freePort();
    api = await startApi(dir, port);
    base = `http://127.0.0.1:${port}`;
  }, 120_000);
  afterAll(async () => {
    api?.proc.kill('SIGTERM');
    await api?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers POST /v1/query for the seeded admin token only', async () => {
    expect((await postQuery(base, { sql: 'SHOW TABLES', ...RANGE }, null)).status).toBe(401);
    const empty = await postQuery(base, {
      sql: 'SELECT pod_1, Count(row) FROM l7_flow_log GROUP BY pod_1',
      ...RANGE,
    });
    expect(empty).toMatchObject({ status: 200, body: { columns: ['pod_1', 'count(row)'], values: [] } });
  });
});
