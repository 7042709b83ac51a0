/** Hostile queries: each must fail with a clear QueryError, or bind the hostile text as a value. */
import { describe, expect, it } from 'vitest';
import { compileQuery, QueryError, type QueryStage } from './index';

const RANGE = { start: 1_700_000_000, end: 1_700_003_600 };
const BASE = 'SELECT Count(row) FROM l7_flow_log';

const REJECTED: [query: string, stage: QueryStage, message: RegExp][] = [
  [`${BASE}; DROP TABLE flow_log.l7_flow_log`, 'lex', /one statement/],
  [`${BASE} -- WHERE 1`, 'lex', /comments/],
  [`${BASE} /* x */`, 'lex', /comments/],
  [`${BASE} # x`, 'lex', /comments/],
  [`${BASE} WHERE endpoint = "x"`, 'lex', /single quotes/],
  [`${BASE} WHERE endpoint = 'x`, 'lex', /unterminated string/],
  [`${BASE} WHERE endpoint = 'x\\q'`, 'lex', /unknown escape/],
  ['SELECT `pod_1` FROM l7_flow_log WHERE `a`` OR 1=1` = 1', 'lex', /quoted name/],
  ['SELECT `pod_1; DROP` FROM l7_flow_log', 'lex', /quoted name/],
  ['SELECT `x` FROM l7_flow_log', 'resolve', /not a tag or metric/],
  ['SELECT ｐｏｄ FROM l7_flow_log', 'lex', /unexpected character/],
  ['SELECT pod\u200b_1 FROM l7_flow_log', 'lex', /unexpected character/],
  ['SELECT pod_1 FROM l7_flow_log\u0000', 'lex', /unexpected character/],
  [`${BASE} WHERE endpoint = 'a' || 'b'`, 'lex', /unexpected character/],
  ['SELECT name FROM system.tables', 'resolve', /not a tag or metric|unknown table/],
  ['SELECT Count(row) FROM system.tables', 'resolve', /unknown table/],
  ['SELECT Count(row) FROM flow_log.l7_flow_log', 'resolve', /unknown table/],
  ['SELECT Count(row) FROM (SELECT 1)', 'parse', /expected a name/],
  ['SELECT password FROM l7_flow_log', 'resolve', /not a tag or metric/],
  ['SELECT start_time FROM l7_flow_log UNION ALL SELECT 1', 'parse', /expected end of query/],
  [`${BASE} WHERE 1 = 1`, 'resolve', /left side/],
  [`${BASE} WHERE endpoint = endpoint`, 'resolve', /quoted string/],
  [`${BASE} WHERE pod_1 = 5`, 'resolve', /pod_id_1/],
  [`${BASE} WHERE response_code = '500'`, 'resolve', /number/],
  [`${BASE} WHERE l7_protocol = 'htp'`, 'resolve', /no value/],
  [`${BASE} WHERE ip_0 = '1.2.3.4 OR 1=1'`, 'resolve', /not an IPv4/],
  [`${BASE} WHERE pod_1 > 'a'`, 'resolve', /=, !=, IN and LIKE only/],
  ['SELECT sum(avg(response_duration)) FROM l7_flow_log', 'resolve', /nested/],
  ['SELECT sleep(3) FROM l7_flow_log', 'resolve', /unknown function/],
  ['SELECT file(x) FROM l7_flow_log', 'resolve', /unknown function/],
  ['SELECT dictGet(pod_1) FROM l7_flow_log', 'resolve', /unknown function/],
  ['SELECT Percentile(response_duration, 200) FROM l7_flow_log', 'resolve', /between 0 and 100/],
  ['SELECT Max(error_ratio) FROM l7_flow_log', 'resolve', /ratio/],
  ['SELECT * FROM l7_flow_log', 'resolve', /SELECT \* is not supported/],
  ['SELECT pod_1, Count(row) FROM l7_flow_log', 'resolve', /GROUP BY/],
  ['SELECT Count(row) FROM l7_flow_log GROUP BY Count(row)', 'resolve', /GROUP BY takes/],
  ['SELECT time(time, 0) FROM l7_flow_log', 'resolve', /time bucketing/],
  ['SELECT k8s.label.a FROM l7_flow_log WHERE `k8s.label.a/../../b` = 1', 'resolve', /quoted string/],
  [`${BASE} LIMIT -1`, 'parse', /whole number/],
  [`${BASE} LIMIT 1e3`, 'parse', /whole number/],
  [`${BASE} LIMIT 99999999999999999999`, 'parse', /whole number/],
  [`${BASE} WHERE response_code = 1e999`, 'parse', /out of range/],
  [`${BASE} WHERE ${'('.repeat(200)}response_code = 1${')'.repeat(200)}`, 'parse', /nesting/],
  [`${BASE} WHERE endpoint = '${'x'.repeat(5000)}'`, 'lex', /longer than/],
  [`${BASE} WHERE endpoint = 'a'${' '.repeat(20_000)}`, 'lex', /longer than/],
  ['DROP TABLE flow_log.l7_flow_log', 'parse', /expected SELECT or SHOW/],
  ['INSERT INTO l7_flow_log VALUES (1)', 'parse', /expected SELECT or SHOW/],
  ['', 'parse', /expected SELECT or SHOW, got end of query/],
];

describe('injection corpus', () => {
  it.each(REJECTED)('rejects %s', (query, stage, message) => {
    let caught: unknown;
    try {
      compileQuery(query, RANGE);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(QueryError);
    const e = caught as QueryError;
    expect(e.stage).toBe(stage);
    expect(e.message).toMatch(message);
    expect(e.position).toBeGreaterThanOrEqual(0);
    expect(e.position).toBeLessThanOrEqual(query.length);
  });

  const HOSTILE_VALUES = [
    "' OR 1=1 --",
    "'); DROP TABLE flow_log.l7_flow_log; --",
    '{p0:String}',
    '`backtick`',
    '\\',
    '\u202e\u0000 unicode \ud83d\ude00',
    "x' UNION SELECT name FROM system.users --",
  ];
  it.each(HOSTILE_VALUES)('binds %j as a parameter, never as SQL text', (v) => {
    const lit = `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/\0/g, '\\0')}'`;
    for (const q of [
      `${BASE} WHERE endpoint = ${lit}`,
      `${BASE} WHERE pod = ${lit}`,
      `${BASE} WHERE k8s.label.app IN (${lit}, 'b')`,
      `${BASE} WHERE auto_service_0 LIKE ${lit}`,
    ]) {
      const r = compileQuery(q, RANGE);
      if (r.kind !== 'sql') throw new Error('expected SQL');
      expect(Object.values(r.params)).toContain(v);
      expect(r.sql).not.toContain(v);
      expect(r.sql).not.toMatch(/;|--|\/\*/);
    }
  });

  it('keeps every identifier in the SQL from the catalog', () => {
    const r = compileQuery(
      "SELECT `k8s.label.app.kubernetes.io/name_1` AS x, Count(row) FROM l7_flow_log WHERE `k8s.env.A-B` = 'v' GROUP BY x",
      RANGE,
    );
    if (r.kind !== 'sql') throw new Error('expected SQL');
    expect(r.sql).not.toContain('kubernetes.io');
    expect(r.sql).not.toContain('A-B');
    expect(Object.values(r.params)).toEqual(
      expect.arrayContaining(['k8s.label.app.kubernetes.io/name', 'k8s.env.A-B', 'v']),
    );
  });
});
