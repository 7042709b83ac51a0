/** Golden cases: query text -> emitted SQL lines + parameters. test/chdb.test.ts runs each on chDB. */
export const RANGE = { start: 1_700_000_000, end: 1_700_003_600 };
const T = { p0: 1_700_000_000_000_000, p1: 1_700_003_600_000_000 };
const TIME = (col: string, a = 'p0', b = 'p1') =>
  `${col} >= fromUnixTimestamp64Micro({${a}:Int64}) AND ${col} < fromUnixTimestamp64Micro({${b}:Int64})`;
const POD_NAME = (ref: string) => `dictGetOrDefault('flow_tag.pod_map', 'name', toUInt64(${ref}), '')`;
const IN_POD = (col: string, p: string) =>
  `${col} IN (SELECT id FROM flow_tag.pod_map WHERE name = {${p}:String})`;

export const GOLDEN: [query: string, sql: string[], params: Record<string, unknown>][] = [
  [
    'SELECT pod_1, Count(row) FROM l7_flow_log GROUP BY pod_1',
    [
      `SELECT ${POD_NAME('k0')} AS c0, m1 AS c1`,
      `FROM (SELECT pod_id_1 AS k0, count() AS m1 FROM flow_log.l7_flow_log WHERE ${TIME('start_time')} GROUP BY k0 LIMIT {p2:UInt64})`,
    ],
    { ...T, p2: 10_000 },
  ],
  [
    "SELECT pod, Count(row) FROM l7_flow_log WHERE pod = 'web-1' GROUP BY pod",
    [
      `SELECT ${POD_NAME('k0')} AS c0, m1 AS c1`,
      `FROM (SELECT pod_id_1 AS k0, count() AS m1 FROM flow_log.l7_flow_log WHERE ${TIME('start_time')} AND (${IN_POD('pod_id_0', 'p2')} OR ${IN_POD('pod_id_1', 'p2')}) GROUP BY k0 LIMIT {p3:UInt64})`,
    ],
    { ...T, p2: 'web-1', p3: 10_000 },
  ],
  [
    "SELECT endpoint, response_duration FROM l7_flow_log WHERE pod_ns_1 != 'kube-system' AND response_code >= 500 ORDER BY response_duration DESC LIMIT 10 OFFSET 20",
    [
      'SELECT k0 AS c0, m1 AS c1',
      `FROM (SELECT endpoint AS k0, response_duration AS m1 FROM flow_log.l7_flow_log WHERE ${TIME('start_time')} AND (NOT (pod_ns_id_1 IN (SELECT id FROM flow_tag.pod_ns_map WHERE name = {p2:String})) AND response_code >= {p3:Int64}) ORDER BY m1 DESC LIMIT {p4:UInt64} OFFSET {p5:UInt64})`,
      'ORDER BY m1 DESC',
    ],
    { ...T, p2: 'kube-system', p3: 500, p4: 10, p5: 20 },
  ],
  [
    "SELECT service_1, error_ratio, Percentile(response_duration, 99) AS p99 FROM l7_flow_log WHERE l7_protocol IN ('http1', 'http2') GROUP BY service_1 HAVING p99 > 100000",
    [
      "SELECT dictGetOrDefault('flow_tag.service_map', 'name', toUInt64(k0), '') AS c0, m1 AS c1, m2 AS c2",
      `FROM (SELECT service_id_1 AS k0, sum(toUInt64(response_status IN ('client_error', 'server_error'))) / greatest(count(), 1) AS m1, quantile({p0:Float64})(response_duration) AS m2 FROM flow_log.l7_flow_log WHERE ${TIME('start_time', 'p1', 'p2')} AND l7_protocol IN ({p3:String}, {p4:String}) GROUP BY k0 HAVING quantile({p0:Float64})(response_duration) > {p5:Int64} LIMIT {p6:UInt64})`,
    ],
    { p0: 0.99, p1: T.p0, p2: T.p1, p3: 'http1', p4: 'http2', p5: 100_000, p6: 10_000 },
  ],
  [
    "SELECT time(time, 60) AS t, Sum(byte) FROM l4_flow_log WHERE ip_1 = '10.0.0.1' GROUP BY t",
    [
      'SELECT k0 AS c0, m1 AS c1',
      `FROM (SELECT intDiv(toUnixTimestamp64Micro(end_time), {p0:UInt64} * 1000000) * {p0:UInt64} AS k0, sum((byte_tx + byte_rx)) AS m1 FROM flow_log.l4_flow_log WHERE ${TIME('end_time', 'p1', 'p2')} AND ip_1 = toIPv6OrZero({p3:String}) GROUP BY k0 ORDER BY k0 ASC LIMIT {p4:UInt64})`,
      'ORDER BY k0 ASC',
    ],
    { p0: 60, p1: T.p0, p2: T.p1, p3: '10.0.0.1', p4: 10_000 },
  ],
  [
    "SELECT k8s.label.app, Count(row) FROM l7_flow_log WHERE request_domain LIKE '%.svc' GROUP BY k8s.label.app",
    [
      'SELECT k0 AS c0, m1 AS c1',
      `FROM (SELECT dictGetOrDefault('flow_tag.pod_custom_tag_map', 'value', (toUInt64(pod_id_1), {p0:String}), '') AS k0, count() AS m1 FROM flow_log.l7_flow_log WHERE ${TIME('start_time', 'p1', 'p2')} AND request_domain LIKE {p3:String} GROUP BY k0 LIMIT {p4:UInt64})`,
    ],
    { p0: 'k8s.label.app', p1: T.p0, p2: T.p1, p3: '%.svc', p4: 10_000 },
  ],
  [
    'SELECT ip_0, Uniq(client_port) FROM l4_flow_log GROUP BY ip_0 ORDER BY ip_0 LIMIT 5',
    [
      "SELECT replaceRegexpOne(toString(k0), '^::ffff:', '') AS c0, m1 AS c1",
      `FROM (SELECT ip_0 AS k0, uniq(client_port) AS m1 FROM flow_log.l4_flow_log WHERE ${TIME('end_time')} GROUP BY k0 ORDER BY k0 ASC LIMIT {p2:UInt64})`,
      'ORDER BY k0 ASC',
    ],
    { ...T, p2: 5 },
  ],
];
