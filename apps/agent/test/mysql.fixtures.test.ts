/**
 * MySQL parser over DeepFlow's mysql fixtures through the real replay pipeline. DeepFlow's
 * `.result` is a meaning-level oracle: every query/prepare text, database, error code and
 * message it reports must appear in our records; statuses must agree.
 */
import type { RequestLog } from '@zeroscope/wire';
import { describe, expect, it } from 'vitest';
import { fixturesAvailable, readResult, replayFixture } from './fixture-helpers';

const FIXTURES = [
  'mysql',
  'mysql-use',
  'mysql-exec',
  'mysql-statement',
  'mysql-statement-id',
  'mysql-error',
  'mysql-login-error',
  'mysql-database',
  'mysql-table-alter',
  'mysql-table-create',
  'mysql-table-delete',
  'mysql-table-desc',
  'mysql-table-destroy',
  'mysql-table-insert',
  'mysql-table-select',
  'mysql-table-update',
  'binary-in-sql',
  'large-response',
  'mysql-compressed-response',
  'partial-packet-compressed',
  'truncate-1024',
];

const COM_INIT_DB = 2;
const COM_QUERY = 3;
const COM_STMT_PREPARE = 22;

const mysqlLogs = async (name: string): Promise<RequestLog[]> =>
  (await replayFixture(`mysql/${name}.pcap`)).filter((l) => l.l7_protocol === 'mysql');

describe.skipIf(!fixturesAvailable)('MySQL DeepFlow fixtures', () => {
  for (const name of FIXTURES) {
    it(`${name}: SQL text, errors and statuses match DeepFlow`, async () => {
      const logs = await mysqlLogs(name);
      const expected = await readResult(`mysql/${name}.result`);
      expect(logs.length).toBeGreaterThan(0);
      const resources = logs.map((l) => l.request_resource);
      for (const e of expected) {
        if (e.msg_type !== 'Request') continue;
        const text = String(e.request_resource ?? '');
        if (e.request_type === COM_QUERY || e.request_type === COM_STMT_PREPARE) {
          expect(
            resources.some((r) => r === text || (text.length > 64 && r.startsWith(text.slice(0, 64)))),
          ).toBe(true);
        }
        if (e.request_type === COM_INIT_DB) expect(resources).toContain(text);
      }
      const errors = expected.filter(
        (e) => e.response_status === 'server_error' || e.response_status === 'client_error',
      );
      for (const e of errors) {
        const ours = logs.find((l) => l.response_exception === e.response_execption);
        expect(ours?.response_status).toBe(e.response_status);
      }
      if (errors.length === 0) expect(logs.filter((l) => l.response_status.endsWith('_error'))).toEqual([]);
    });
  }

  it('mysql: login carries user and database, the greeting the protocol version', async () => {
    const logs = await mysqlLogs('mysql');
    const login = logs.find((l) => l.request_type === 'LOGIN');
    expect(login?.request_resource).toBe('Login username: root db: deepflow');
    expect(login?.request_domain).toBe('deepflow');
    expect(login?.response_status).toBe('ok');
    expect(logs.find((l) => l.request_resource === 'SET NAMES utf8')?.version).toBe('10');
  });

  it('mysql-error: USE of a missing database is a server error 1049', async () => {
    const use = (await mysqlLogs('mysql-error')).find((l) => l.request_type === 'USE');
    expect(use).toMatchObject({
      request_resource: 'abcd',
      response_status: 'server_error',
      response_code: 1049,
      response_exception: "Unknown database 'abcd'",
    });
  });

  it('mysql-exec: EXECUTE carries the prepared SQL and statement id', async () => {
    const logs = await mysqlLogs('mysql-exec');
    const exec = logs.find((l) => l.request_type === 'INSERT');
    expect(exec?.request_resource.startsWith('INSERT INTO `controller`')).toBe(true);
    expect(exec?.request_id).toBe(55);
    expect(exec?.endpoint).toBe('INSERT controller');
  });

  it('mysql-statement: CLOSE names the statement it closes', async () => {
    const close = (await mysqlLogs('mysql-statement')).find((l) => l.request_type === 'CLOSE');
    expect(close?.request_resource).toBe('SELECT * FROM `controller` WHERE name = ?');
  });

  it('compressed protocol: the query inside a compressed packet, rows counted', async () => {
    const logs = await mysqlLogs('mysql-compressed-response');
    expect(logs[0]).toMatchObject({
      request_type: 'SELECT',
      endpoint: 'SELECT az_controller_connection',
      response_status: 'ok',
      sql_affected_rows: 5,
    });
  });

  it('171-mysql: 390 exchanges, all ok (DeepFlow L7 perf: 390 req / 390 resp / 0 errors)', async () => {
    const logs = await mysqlLogs('171-mysql');
    const paired = logs.filter((l) => l.request_type !== '' && l.response_status === 'ok');
    expect(paired.length).toBeGreaterThanOrEqual(390);
    expect(logs.filter((l) => l.response_status.endsWith('_error'))).toEqual([]);
  });
});
