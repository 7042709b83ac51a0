/** Our own PostgreSQL capture (psql simple queries + hand-written extended protocol). */
import { describe, expect, it } from 'vitest';
import { replayCapture } from './fixture-helpers';

describe('PostgreSQL capture from psql and the extended protocol', async () => {
  const logs = (await replayCapture('postgresql-client.pcap')).filter((l) => l.l7_protocol === 'postgresql');

  it('reports the startup of both connections', () => {
    const startups = logs.filter((l) => l.request_type === 'STARTUP');
    expect(startups.map((l) => [l.request_domain, l.response_status])).toEqual([
      ['postgres', 'ok'],
      ['postgres', 'ok'],
    ]);
  });

  it('sums CommandComplete rows of a multi-statement simple query', () => {
    const q = logs.find((l) => l.request_type === 'CREATE');
    expect(q?.sql_affected_rows).toBe(6);
  });

  it('reports the named extended-query statement with its text', () => {
    const q = logs.find((l) => l.request_resource === 'SELECT $1::int + 1 AS n');
    expect(q).toMatchObject({ request_type: 'SELECT', response_status: 'ok', sql_affected_rows: 1 });
    expect(q?.attribute_values).toEqual(['zs_stmt']);
  });

  it('reports undefined_table (42P01) for the simple and the extended query', () => {
    const errors = logs.filter((l) => l.response_status === 'client_error');
    expect(errors.map((l) => l.endpoint)).toEqual(['SELECT zs_missing_table', 'SELECT zs_missing_table']);
    expect(errors.map((l) => l.attribute_values[0])).toEqual(['42P01', '42P01']);
    expect(errors[0]?.response_exception).toBe('relation "zs_missing_table" does not exist');
  });
});
