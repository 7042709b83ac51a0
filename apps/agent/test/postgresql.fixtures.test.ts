/** PostgreSQL parser over DeepFlow's postgre fixtures through the replay pipeline. */
import type { RequestLog } from '@zeroscope/wire';
import { describe, expect, it } from 'vitest';
import { fixturesAvailable, readResult, replayFixture } from './fixture-helpers';

const pgLogs = async (name: string): Promise<RequestLog[]> =>
  (await replayFixture(`postgre/${name}.pcap`)).filter((l) => l.l7_protocol === 'postgresql');

describe.skipIf(!fixturesAvailable)('PostgreSQL DeepFlow fixtures', () => {
  it('pgsql-all: every Parse text DeepFlow reports is a request, all responses ok', async () => {
    const logs = await pgLogs('pgsql-all');
    const expected = await readResult('postgre/pgsql-all.result');
    const sqls = expected.filter((e) => e.request_type === 'P').map((e) => String(e.request_resource));
    expect(sqls.length).toBeGreaterThan(3);
    const ours = logs.map((l) => l.request_resource);
    for (const sql of sqls) expect(ours).toContain(sql);
    const requests = expected.filter((e) => e.msg_type === 'Request').length;
    // DeepFlow reports Parse and Execute separately; we report one request per Sync batch
    expect(logs.length).toBeGreaterThanOrEqual(requests - sqls.length);
    expect(logs.every((l) => l.response_status === 'ok')).toBe(true);
    const named = logs.find((l) => l.request_type === 'EXECUTE');
    expect(named?.attribute_names).toEqual(['statement']);
  });

  it('simple_query: DELETE with its affected rows', async () => {
    const [log] = await pgLogs('simple_query');
    expect(log).toMatchObject({ request_type: 'DELETE', endpoint: 'DELETE test', response_status: 'ok' });
    expect(log?.sql_affected_rows).toBe(1);
  });

  it('prepare_stat: extended query reported once with the Parse text', async () => {
    const logs = await pgLogs('prepare_stat');
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      request_type: 'DELETE',
      request_resource: 'delete from test where id=$1 returning id',
      response_status: 'ok',
    });
  });

  it('error: syntax error is a client error with SQLSTATE 42601 (DeepFlow: 1 client error)', async () => {
    const [log] = await pgLogs('error');
    expect(log).toMatchObject({
      request_resource: 'asdsdfdsf;',
      response_status: 'client_error',
      response_code: 42,
      response_exception: 'syntax error at or near "asdsdfdsf"',
      attribute_values: ['42601'],
    });
  });
});
