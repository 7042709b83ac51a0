/** Query text -> emitted SQL + parameters, read as a table in golden.cases.ts. */
import { describe, expect, it } from 'vitest';
import { GOLDEN, RANGE } from './golden.cases';
import { compileQuery } from './index';

describe('golden SQL', () => {
  it.each(GOLDEN)('%s', (query, sql, params) => {
    const r = compileQuery(query, RANGE);
    expect(r.kind).toBe('sql');
    if (r.kind !== 'sql') return;
    expect(r.sql.split('\n')).toEqual(sql);
    expect(r.params).toEqual(params);
  });

  it('names output columns by alias, else by canonical text', () => {
    const r = compileQuery(
      'select auto_service AS svc, COUNT(*), avg(response_duration) from l7_flow_log group by svc',
      RANGE,
    );
    expect(r.columns).toEqual(['svc', 'count(*)', 'avg(response_duration)']);
  });

  it('caps LIMIT at maxRows', () => {
    const r = compileQuery('SELECT endpoint FROM l7_flow_log LIMIT 5000', { ...RANGE, maxRows: 100 });
    expect(r.kind === 'sql' && Object.values(r.params)).toContain(100);
  });

  it('answers catalog listings without SQL', () => {
    const tables = compileQuery('SHOW TABLES', RANGE);
    expect(tables.kind === 'meta' && tables.values.map((v) => v[0])).toEqual(
      expect.arrayContaining([
        'l7_flow_log',
        'l4_flow_log',
        'application.1m',
        'application_map.1m',
        'network.1m',
        'network_map.1m',
      ]),
    );
    const tags = compileQuery('SHOW TAGS FROM l7_flow_log', RANGE);
    expect(tags.kind === 'meta' && tags.values.map((v) => v[0])).toEqual(
      expect.arrayContaining(['auto_service_0', 'pod_1', 'k8s.label.<key>', 'endpoint']),
    );
    const metrics = compileQuery('show metrics from l4_flow_log', RANGE);
    expect(metrics.kind === 'meta' && metrics.values.map((v) => v[0])).toContain('retrans_ratio');
    const status = compileQuery(
      "SHOW TAG response_status VALUES FROM l7_flow_log WHERE value LIKE '%error'",
      RANGE,
    );
    expect(status.kind === 'meta' && status.values.map((v) => v[0])).toEqual([
      'client_error',
      'server_error',
    ]);
  });
});
