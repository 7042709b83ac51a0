/**
 * Query latency over 10M generated request logs in embedded ClickHouse (chDB), next to the
 * targets of PRODUCT.md §4 and next to a naive variant that decodes names per row.
 *   npx tsx bench/query/run.ts [rows]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { type CompiledSql, compileQuery } from '@zeroscope/query';
import { AUTO_TYPE, DICTIONARIES, dictionaryDdl } from '@zeroscope/tags';
import { type Column, REQUEST_LOG_COLUMNS } from '@zeroscope/wire/columns';
import { METRIC_COLUMNS } from '@zeroscope/wire/metrics';
import { Session } from 'chdb';

const ROWS = Number(process.argv[2] ?? 10_000_000);
const T0 = 1_700_000_000;
const PODS = 500;
const SERVICES = 50;

const CH: Record<Column['type'], string> = {
  u8: 'UInt8',
  u16: 'UInt16',
  u32: 'UInt32',
  u64: 'UInt64',
  i64: 'Int64',
  f64: 'Float64',
  string: 'String',
  lowcard: 'LowCardinality(String)',
  ip: 'IPv6',
  strings: 'Array(String)',
};

const dir = mkdtempSync(join(os.tmpdir(), 'zs-bench-query-'));
const s = new Session(dir);
try {
  s.query('CREATE DATABASE flow_log');
  s.query('CREATE DATABASE flow_tag');
  // Times, partitioning and sort key as the API stores request logs (apps/api storage schema).
  const type = (c: Column) =>
    c.name === 'start_time' || c.name === 'end_time' ? 'DateTime64(6)' : CH[c.type];
  const cols = REQUEST_LOG_COLUMNS.map((c) => `${c.name} ${type(c)}`).join(', ');
  s.query(
    `CREATE TABLE flow_log.l7_flow_log (${cols}) ENGINE = MergeTree PARTITION BY toStartOfHour(start_time)
     ORDER BY (toStartOfMinute(start_time), auto_service_id_1, l7_protocol, start_time)`,
  );
  for (const d of DICTIONARIES) {
    const src = `${d.name.split('.')[1]}_src`;
    const dc = [...d.keys, ...d.attributes].map((c) => `${c.name} ${c.type}`).join(', ');
    s.query(`CREATE TABLE flow_tag.${src} (${dc}) ENGINE = MergeTree ORDER BY id`);
    s.query(dictionaryDdl(d, `CLICKHOUSE(DB 'flow_tag' TABLE '${src}')`, '0'));
  }
  s.query(
    `INSERT INTO flow_tag.pod_map_src SELECT number + 1, concat('pod-', toString(number + 1)) FROM numbers(${PODS})`,
  );
  s.query(
    `INSERT INTO flow_tag.service_map_src SELECT number + 1, concat('svc-', toString(number + 1)) FROM numbers(${SERVICES})`,
  );
  s.query('SYSTEM RELOAD DICTIONARIES');

  const t = performance.now();
  const pod0 = `(number % ${PODS}) + 1`;
  const pod1 = `(cityHash64(number) % ${PODS}) + 1`;
  s.query(`INSERT INTO flow_log.l7_flow_log
    (start_time, end_time, response_duration, l7_protocol, request_type, endpoint, response_status, response_code,
     ip_0, ip_1, client_port, server_port, protocol, pod_id_0, pod_id_1, service_id_0, service_id_1,
     auto_instance_id_0, auto_instance_type_0, auto_instance_id_1, auto_instance_type_1,
     auto_service_id_0, auto_service_type_0, auto_service_id_1, auto_service_type_1, observation_point, signal_source)
    SELECT fromUnixTimestamp64Micro(toInt64(${T0}000000 + intDiv(number * 3600000000, ${ROWS}))) AS st,
      st + toIntervalMicrosecond(d), cityHash64(number, 1) % 200000 AS d,
      ['http1', 'grpc', 'mysql'][number % 3 + 1], 'GET', concat('/api/', toString(number % 50)),
      multiIf(number % 17 = 0, 'server_error', number % 23 = 0, 'client_error', 'ok'), if(number % 17 = 0, 500, 200),
      toIPv6(IPv4NumToString(toUInt32(167772160 + ${pod0}))), toIPv6(IPv4NumToString(toUInt32(167772160 + ${pod1}))),
      30000 + number % 30000, 8080, 'tcp', ${pod0}, ${pod1}, (${pod0}) % ${SERVICES} + 1, (${pod1}) % ${SERVICES} + 1,
      ${pod0}, ${AUTO_TYPE.pod}, ${pod1}, ${AUTO_TYPE.pod},
      (${pod0}) % ${SERVICES} + 1, ${AUTO_TYPE.service}, (${pod1}) % ${SERVICES} + 1, ${AUTO_TYPE.service}, 's-p', 'ebpf'
    FROM numbers(${ROWS})`);
  console.log(
    `loaded ${ROWS.toLocaleString()} request logs in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  // The map view reads the per-minute edge table the agents aggregate (PRODUCT.md §2.4):
  // build it from the same 10M requests, one row per minute, edge and agent as agents would.
  s.query('CREATE DATABASE flow_metrics');
  const mcols = METRIC_COLUMNS.application_map.map((c) => `${c.name} ${type(c)}`).join(', ');
  s.query(
    `CREATE TABLE flow_metrics.application_map_1m (${mcols}) ENGINE = MergeTree PARTITION BY toStartOfHour(start_time) ORDER BY (start_time, auto_service_id_0, auto_service_id_1)`,
  );
  const tm = performance.now();
  s.query(`INSERT INTO flow_metrics.application_map_1m
    (start_time, auto_service_id_0, auto_service_type_0, auto_service_id_1, auto_service_type_1, l7_protocol, server_port,
     observation_point, signal_source, requests, responses, client_error, server_error, latency_sum, latency_count, latency_max)
    SELECT toStartOfMinute(start_time) AS m, auto_service_id_0, any(auto_service_type_0), auto_service_id_1, any(auto_service_type_1),
      l7_protocol, 8080, 's-p', 'ebpf', count(), count(), countIf(response_status = 'client_error'),
      countIf(response_status = 'server_error'), sum(response_duration), count(), max(response_duration)
    FROM flow_log.l7_flow_log GROUP BY m, auto_service_id_0, auto_service_id_1, l7_protocol, pod_id_0 % 4`);
  const [{ n: mapRows } = { n: 0 }] = JSON.parse(
    `[${String(s.query('SELECT count() AS n FROM flow_metrics.application_map_1m', 'JSONEachRow')).trim().split('\n').join(',')}]`,
  );
  console.log(
    `aggregated them into ${Number(mapRows).toLocaleString()} application_map.1m rows in ${((performance.now() - tm) / 1000).toFixed(1)} s`,
  );

  const range = { start: T0, end: T0 + 3600 };
  // Median wall time, and the process CPU time of that run: on a shared 2-core machine the
  // wall time grows with other load, the CPU time much less.
  const time = (sql: string, params: Record<string, unknown>): { wall: number; cpu: number } => {
    s.queryBind(sql, params, 'JSONCompactEachRow'); // warm caches
    const runs: { wall: number; cpu: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const c = process.cpuUsage();
      const a = performance.now();
      s.queryBind(sql, params, 'JSONCompactEachRow');
      const used = process.cpuUsage(c);
      runs.push({ wall: performance.now() - a, cpu: (used.user + used.system) / 1000 });
    }
    return runs.sort((a, b) => a.wall - b.wall)[2]!;
  };
  const compiled = (q: string) => compileQuery(q, range) as CompiledSql;

  const map = compiled(
    'SELECT auto_service_0, auto_service_1, Count(row) AS requests, Sum(error) AS errors, Avg(response_duration) AS latency ' +
      'FROM l7_flow_log GROUP BY auto_service_0, auto_service_1',
  );
  const naiveMap = `SELECT dictGetOrDefault('flow_tag.service_map', 'name', toUInt64(service_id_0), '') AS a,
    dictGetOrDefault('flow_tag.service_map', 'name', toUInt64(service_id_1), '') AS b, count(),
    countIf(response_status IN ('client_error', 'server_error')), avg(response_duration)
    FROM flow_log.l7_flow_log WHERE start_time >= fromUnixTimestamp64Micro({s:Int64})
      AND start_time < fromUnixTimestamp64Micro({e:Int64}) GROUP BY a, b`;
  const mapView = compiled(
    'SELECT auto_service_0, auto_service_1, request, error, response_duration FROM application_map.1m ' +
      'GROUP BY auto_service_0, auto_service_1',
  );
  const naiveMapView = `SELECT dictGetOrDefault('flow_tag.service_map', 'name', toUInt64(auto_service_id_0), '') AS a,
    dictGetOrDefault('flow_tag.service_map', 'name', toUInt64(auto_service_id_1), '') AS b, sum(requests),
    sum(client_error + server_error), sum(latency_sum) / greatest(sum(latency_count), 1)
    FROM flow_metrics.application_map_1m WHERE start_time >= fromUnixTimestamp64Micro({s:Int64})
      AND start_time < fromUnixTimestamp64Micro({e:Int64}) GROUP BY a, b`;
  const page = compiled(
    'SELECT start_time, auto_instance_0, auto_instance_1, endpoint, response_status, response_duration FROM l7_flow_log ' +
      "WHERE auto_service_1 = 'svc-7' AND response_status = 'server_error' ORDER BY start_time DESC LIMIT 100",
  );
  const naivePage = `SELECT start_time, endpoint, response_duration FROM flow_log.l7_flow_log
    WHERE start_time >= fromUnixTimestamp64Micro({s:Int64}) AND start_time < fromUnixTimestamp64Micro({e:Int64})
      AND dictGetOrDefault('flow_tag.service_map', 'name', toUInt64(service_id_1), '') = 'svc-7'
      AND response_status = 'server_error' ORDER BY start_time DESC LIMIT 100`;
  const rp = { s: T0 * 1e6, e: (T0 + 3600) * 1e6 };

  const rows = [
    ['service map, 1 h, application_map.1m', time(mapView.sql, mapView.params), time(naiveMapView, rp), 200],
    ['service map, 1 h, raw l7_flow_log', time(map.sql, map.params), time(naiveMap, rp), 200],
    ['filtered request-log page (100 rows)', time(page.sql, page.params), time(naivePage, rp), 300],
  ] as const;
  console.log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores`,
  );
  console.log(
    'query                                   compiled ms (cpu)  per-row-decode ms (cpu)  ratio  target ms',
  );
  const cell = (x: { wall: number; cpu: number }, w: number) =>
    `${x.wall.toFixed(0)} (${x.cpu.toFixed(0)})`.padStart(w);
  for (const [name, a, b, target] of rows) {
    console.log(
      `${name.padEnd(40)}${cell(a, 17)}${cell(b, 25)}${(b.wall / a.wall).toFixed(2).padStart(7)}${String(target).padStart(11)}  ${a.wall <= target ? 'ok' : 'OVER'}`,
    );
  }
} finally {
  s.cleanup();
  rmSync(dir, { recursive: true, force: true });
}
