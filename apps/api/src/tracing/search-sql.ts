/**
 * Trace search as SQL + bound parameters (pure). A trace is listed by its entry request:
 * a server-side record (s-p) whose caller is not itself serving a request on a captured
 * host, i.e. no c-p record with the same tcp seq comes from a process that also has s-p
 * records in the range. Service is the serving process name (process_kname_1). Candidates
 * come a page at a time and only their callers are looked up (search.ts): two small
 * indexed queries instead of a set of every call in the range.
 */
import { z } from 'zod';
import { TABLE } from '../trpc/requestLogSql';
import type { BoundQuery } from './sql';
import { SELECT } from './sql';

const epochSeconds = z.number().int().min(0).max(4_102_444_800);
const STATUSES = ['ok', 'client_error', 'server_error', 'timeout', 'unknown', 'parse_failed'] as const;

export const traceSearchInput = z
  .object({
    start: epochSeconds,
    end: epochSeconds,
    service: z.string().min(1).max(128).optional(),
    endpoint: z.string().min(1).max(1024).optional(),
    status: z.array(z.enum(STATUSES)).max(STATUSES.length).optional(),
    /** µs */
    minDuration: z.number().int().min(0).optional(),
    /** µs */
    maxDuration: z.number().int().min(0).optional(),
    /** only requests whose caller was not serving a request itself (default true) */
    entryOnly: z.boolean().default(true),
    orderBy: z.enum(['start_time', 'duration']).default('start_time'),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict()
  .refine((v) => v.end > v.start, { message: 'end must be after start', path: ['end'] });
export type TraceSearchInput = z.input<typeof traceSearchInput>;

/** One page of candidate entries: server-side records matching the filters, best first. */
export function traceSearchQuery(
  input: z.output<typeof traceSearchInput>,
  page: { limit: number; offset: number } = { limit: input.limit, offset: 0 },
): BoundQuery {
  const params: Record<string, unknown> = {
    start_us: input.start * 1_000_000,
    end_us: input.end * 1_000_000,
    limit: page.limit,
    offset: page.offset,
  };
  const where = [
    'l.start_time >= fromUnixTimestamp64Micro({start_us:Int64}) AND l.start_time < fromUnixTimestamp64Micro({end_us:Int64})',
    "l.observation_point = 's-p'",
  ];
  if (input.service !== undefined) {
    where.push('l.process_kname_1 = {service:String}');
    params.service = input.service;
  }
  if (input.endpoint !== undefined) {
    where.push('l.endpoint = {endpoint:String}');
    params.endpoint = input.endpoint;
  }
  if (input.status?.length) {
    where.push('l.response_status IN {status:Array(String)}');
    params.status = [...input.status];
  }
  if (input.minDuration !== undefined) {
    where.push('l.response_duration >= {min_duration:UInt64}');
    params.min_duration = input.minDuration;
  }
  if (input.maxDuration !== undefined) {
    where.push('l.response_duration <= {max_duration:UInt64}');
    params.max_duration = input.maxDuration;
  }
  const order = input.orderBy === 'duration' ? 'l.response_duration DESC' : 'l.start_time DESC';
  return {
    sql:
      `SELECT ${SELECT}, l.response_duration AS response_duration FROM ${TABLE} AS l WHERE ${where.join(' AND ')} ` +
      `ORDER BY ${order} LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
    params,
  };
}

/** The client-side records (c-p) of the candidates' requests: same tcp seq, around their time. */
export function callersQuery(seqs: readonly number[], fromUs: number, toUs: number): BoundQuery {
  return {
    sql:
      `SELECT l.req_tcp_seq AS req_tcp_seq, l.client_port AS client_port, l.server_port AS server_port, l.agent_id AS agent_id, l.process_id_0 AS pid FROM ${TABLE} AS l ` +
      'PREWHERE l.start_time >= fromUnixTimestamp64Micro({from_us:Int64}) AND l.start_time <= fromUnixTimestamp64Micro({to_us:Int64}) ' +
      "WHERE l.observation_point = 'c-p' AND l.req_tcp_seq IN {seqs:Array(UInt32)}",
    params: { seqs: [...seqs], from_us: Math.max(0, Math.floor(fromUs)), to_us: Math.ceil(toUs) },
  };
}

/** Which of these processes served requests (had s-p records) in the range. */
export function servingQuery(pids: readonly number[], start: number, end: number): BoundQuery {
  return {
    sql:
      `SELECT DISTINCT l.agent_id AS agent_id, l.process_id_1 AS pid FROM ${TABLE} AS l ` +
      'WHERE l.start_time >= fromUnixTimestamp64Micro({start_us:Int64}) AND l.start_time < fromUnixTimestamp64Micro({end_us:Int64}) ' +
      "AND l.observation_point = 's-p' AND l.process_id_1 IN {pids:Array(UInt32)}",
    params: { pids: [...pids], start_us: start * 1_000_000, end_us: end * 1_000_000 },
  };
}

/** Rows sharing each header trace id in the range: the span count shown before assembly. */
export function traceIdCountsQuery(traceIds: readonly string[], start: number, end: number): BoundQuery {
  return {
    sql:
      `SELECT l.trace_id AS trace_id, count() AS n FROM ${TABLE} AS l WHERE l.start_time >= fromUnixTimestamp64Micro({start_us:Int64}) ` +
      'AND l.start_time < fromUnixTimestamp64Micro({end_us:Int64}) AND l.trace_id IN {ids:Array(String)} GROUP BY l.trace_id',
    params: { ids: [...traceIds], start_us: (start - 3600) * 1_000_000, end_us: (end + 3600) * 1_000_000 },
  };
}
