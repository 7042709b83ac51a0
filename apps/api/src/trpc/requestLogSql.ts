/**
 * Request-log queries as SQL text + bound parameters (STYLE.md rule 10): column names come
 * from the wire column list, every value travels as a ClickHouse `{name:Type}` parameter.
 * Pure: no I/O, golden-tested in requestLogSql.test.ts.
 */
import { type Column, REQUEST_LOG_COLUMNS } from '@zeroscope/wire/columns';
import { z } from 'zod';

export const TABLE = 'flow_log.l7_flow_log';

const L7_PROTOCOLS = [
  'http1',
  'http2',
  'grpc',
  'mysql',
  'postgresql',
  'redis',
  'dns',
  'kafka',
  'mqtt',
  'amqp',
  'tls',
  'unknown',
] as const;
const RESPONSE_STATUSES = [
  'ok',
  'client_error',
  'server_error',
  'timeout',
  'unknown',
  'parse_failed',
] as const;
const OBSERVATION_POINTS = ['c-p', 's-p', 'c', 's', 'app'] as const;

/** Seconds since the epoch; the table stores µs. */
const epochSeconds = z.number().int().min(0).max(4_102_444_800);

export const requestLogFilters = z
  .object({
    l7_protocol: z.array(z.enum(L7_PROTOCOLS)).max(L7_PROTOCOLS.length).optional(),
    response_status: z.array(z.enum(RESPONSE_STATUSES)).max(RESPONSE_STATUSES.length).optional(),
    observation_point: z.array(z.enum(OBSERVATION_POINTS)).max(OBSERVATION_POINTS.length).optional(),
    request_type: z.string().min(1).max(64).optional(),
    request_domain: z.string().min(1).max(256).optional(),
    endpoint: z.string().min(1).max(1024).optional(),
    trace_id: z.string().min(1).max(128).optional(),
    /** either end of the request */
    ip: z.union([z.ipv4(), z.ipv6()]).optional(),
    server_port: z.number().int().min(0).max(65535).optional(),
    /** µs */
    min_duration: z.number().int().min(0).optional(),
    /** case-insensitive substring of resource, endpoint, domain, exception, trace or request id */
    search: z.string().max(200).optional(),
  })
  .strict();
export type RequestLogFilters = z.infer<typeof requestLogFilters>;

export const requestLogListInput = z
  .object({
    start: epochSeconds,
    end: epochSeconds,
    limit: z.number().int().min(1).max(1000).default(200),
    offset: z.number().int().min(0).max(1_000_000).default(0),
    filters: requestLogFilters.optional(),
  })
  .refine((v) => v.end > v.start, { message: 'end must be after start', path: ['end'] });
export type RequestLogListInput = z.input<typeof requestLogListInput>;

/** Identifies one record well enough to fetch all of its fields again. */
export const requestLogKey = z.object({
  start_time: z.number().int().min(0),
  end_time: z.number().int().min(0),
  flow_id: z.number().int().min(0),
  request_id: z.number().int().min(0),
  agent_id: z.number().int().min(0),
  observation_point: z.enum(OBSERVATION_POINTS),
});
export type RequestLogKey = z.infer<typeof requestLogKey>;

/** Columns of the table view (the detail drawer asks for every column). */
export const LIST_COLUMNS = [
  'start_time',
  'end_time',
  'response_duration',
  'l7_protocol',
  'version',
  'request_type',
  'request_domain',
  'request_resource',
  'endpoint',
  'request_id',
  'response_status',
  'response_code',
  'response_exception',
  'request_length',
  'response_length',
  'trace_id',
  'ip_0',
  'ip_1',
  'client_port',
  'server_port',
  'protocol',
  'flow_id',
  'process_id_0',
  'process_id_1',
  'process_kname_0',
  'process_kname_1',
  'observation_point',
  'signal_source',
  'agent_id',
] as const;

const TIME_COLUMNS = new Set(['start_time', 'end_time']);
const BY_NAME = new Map(REQUEST_LOG_COLUMNS.map((c) => [c.name, c]));

function column(name: string): Column {
  const c = BY_NAME.get(name);
  if (!c) throw new Error(`unknown request-log column '${name}'`);
  return c;
}

/**
 * start_time/end_time are DateTime64(6) in storage and µs numbers on the wire; IPv6
 * columns read back as text, with IPv4-mapped addresses shown as plain IPv4. These aliases
 * reuse the column names, so WHERE/ORDER BY name the stored columns through the table
 * alias `l` (an unqualified name would resolve to the alias).
 */
function selectExpr(c: Column): string {
  if (TIME_COLUMNS.has(c.name)) return `toUnixTimestamp64Micro(${c.name}) AS ${c.name}`;
  if (c.type === 'ip')
    return `replaceRegexpOne(toString(${c.name}), '^::ffff:(\\d+\\.\\d+\\.\\d+\\.\\d+)$', '\\1') AS ${c.name}`;
  return c.name;
}

export interface BoundQuery {
  sql: string;
  params: Record<string, unknown>;
}

interface Where {
  clauses: string[];
  params: Record<string, unknown>;
}

function whereOf(start: number, end: number, f: RequestLogFilters | undefined): Where {
  const clauses = [
    'l.start_time >= fromUnixTimestamp64Micro({start_us:Int64})',
    'l.start_time < fromUnixTimestamp64Micro({end_us:Int64})',
  ];
  const params: Record<string, unknown> = { start_us: start * 1_000_000, end_us: end * 1_000_000 };
  if (!f) return { clauses, params };
  const inList = (
    name: 'l7_protocol' | 'response_status' | 'observation_point',
    values?: readonly string[],
  ) => {
    if (!values || values.length === 0) return;
    clauses.push(`${name} IN {${name}:Array(String)}`);
    params[name] = [...values];
  };
  inList('l7_protocol', f.l7_protocol);
  inList('response_status', f.response_status);
  inList('observation_point', f.observation_point);
  const equals = (name: 'request_type' | 'request_domain' | 'endpoint' | 'trace_id', value?: string) => {
    if (value === undefined) return;
    clauses.push(`${name} = {${name}:String}`);
    params[name] = value;
  };
  equals('request_type', f.request_type);
  equals('request_domain', f.request_domain);
  equals('endpoint', f.endpoint);
  equals('trace_id', f.trace_id);
  if (f.ip !== undefined) {
    clauses.push('(l.ip_0 = toIPv6({ip:String}) OR l.ip_1 = toIPv6({ip:String}))');
    params.ip = f.ip;
  }
  if (f.server_port !== undefined) {
    clauses.push('server_port = {server_port:UInt16}');
    params.server_port = f.server_port;
  }
  if (f.min_duration !== undefined) {
    clauses.push('response_duration >= {min_duration:UInt64}');
    params.min_duration = f.min_duration;
  }
  const search = f.search?.trim();
  if (search) {
    const cols = [
      'request_resource',
      'endpoint',
      'request_domain',
      'response_exception',
      'trace_id',
      'x_request_id_0',
    ];
    clauses.push(
      `(${cols.map((c) => `positionCaseInsensitiveUTF8(${c}, {search:String}) > 0`).join(' OR ')})`,
    );
    params.search = search;
  }
  return { clauses, params };
}

export function listQuery(input: z.output<typeof requestLogListInput>): BoundQuery {
  const w = whereOf(input.start, input.end, input.filters);
  const select = LIST_COLUMNS.map((n) => selectExpr(column(n))).join(', ');
  return {
    sql:
      `SELECT ${select} FROM ${TABLE} AS l WHERE ${w.clauses.join(' AND ')} ` +
      'ORDER BY l.start_time DESC LIMIT {limit:UInt32} OFFSET {offset:UInt32}',
    params: { ...w.params, limit: input.limit, offset: input.offset },
  };
}

export function countQuery(input: z.output<typeof requestLogListInput>): BoundQuery {
  const w = whereOf(input.start, input.end, input.filters);
  return { sql: `SELECT count() AS n FROM ${TABLE} AS l WHERE ${w.clauses.join(' AND ')}`, params: w.params };
}

export function getQuery(key: RequestLogKey): BoundQuery {
  const select = REQUEST_LOG_COLUMNS.map(selectExpr).join(', ');
  return {
    sql:
      `SELECT ${select} FROM ${TABLE} AS l WHERE l.start_time = fromUnixTimestamp64Micro({start_time:Int64}) ` +
      'AND l.end_time = fromUnixTimestamp64Micro({end_time:Int64}) AND flow_id = {flow_id:UInt64} AND request_id = {request_id:UInt64} AND agent_id = {agent_id:UInt32} ' +
      'AND observation_point = {observation_point:String} LIMIT 1',
    params: { ...key },
  };
}

const NUMERIC = new Set(['u8', 'u16', 'u32', 'u64', 'i64', 'f64']);

/**
 * ClickHouse JSON output may quote 64-bit integers; the UI gets plain numbers (all values
 * stay below 2^53, see columns.ts).
 */
export function normalizeRow(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    const c = BY_NAME.get(name);
    out[name] = c && NUMERIC.has(c.type) && typeof value === 'string' ? Number(value) : value;
  }
  return out;
}
