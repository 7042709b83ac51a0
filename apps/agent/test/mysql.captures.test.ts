/**
 * Our own MariaDB capture (captures/record-db-mq.sh: the mariadb CLI, then mysql2 prepared
 * statements), replayed through the pipeline; expectations come from those commands.
 */
import { describe, expect, it } from 'vitest';
import { replayCapture } from './fixture-helpers';

describe('MySQL capture from the mariadb client and mysql2', async () => {
  const logs = (await replayCapture('mysql-client.pcap')).filter((l) => l.l7_protocol === 'mysql');
  const byType = (t: string) => logs.filter((l) => l.request_type === t);

  it('logs in as root to database test', () => {
    expect(byType('LOGIN').map((l) => [l.request_resource, l.response_status])).toEqual([
      ['Login username: root db: test', 'ok'],
      ['Login username: root db: test', 'ok'],
    ]);
  });

  it('reports affected and returned rows of the text queries', () => {
    expect(byType('INSERT')[0]).toMatchObject({
      endpoint: 'INSERT zs_l7',
      sql_affected_rows: 3,
      request_domain: 'test',
    });
    expect(byType('UPDATE')[0]?.sql_affected_rows).toBe(2);
    expect(logs.find((l) => l.request_resource === 'SELECT * FROM zs_l7')?.sql_affected_rows).toBe(3);
  });

  it('reports the missing table as server error 1146, for the query and the prepare', () => {
    const errors = logs.filter((l) => l.response_code === 1146);
    expect(errors.map((l) => l.request_type)).toEqual(['SELECT', 'PREPARE']);
    expect(errors.every((l) => l.response_status === 'server_error')).toBe(true);
    expect(errors[0]?.response_exception).toBe("Table 'test.zs_l7_missing' doesn't exist");
  });

  it('carries the prepared SQL on EXECUTE and CLOSE', () => {
    const prepare = byType('PREPARE')[0];
    const sql = 'SELECT name FROM zs_l7 WHERE id = ?';
    expect(prepare?.request_resource).toBe(sql);
    const execute = logs.find((l) => l.request_type === 'SELECT' && l.request_id === prepare?.request_id);
    expect(execute).toMatchObject({ request_resource: sql, sql_affected_rows: 1, response_status: 'ok' });
    expect(byType('CLOSE')[0]?.request_resource).toBe(sql);
  });
});
