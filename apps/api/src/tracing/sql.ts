/**
 * Trace lookups as SQL + bound parameters (pure). Every round is one query over
 * flow_log.l7_flow_log restricted by start_time in PREWHERE; the id terms are OR-ed. Skip
 * indexes on tcp seqs / syscall ids were measured (bench/trace) to slow these rounds down
 * (an OR with the process-window terms cannot use them, so they only cost), hence none.
 */
import { TABLE } from '../trpc/requestLogSql';
import type { Probe } from './probe';
import { TRACE_ROW_COLUMNS } from './row';
import type { RecordKey } from './types';

export interface BoundQuery {
  sql: string;
  params: Record<string, unknown>;
}

const IP_COLUMNS = new Set(['ip_0', 'ip_1']);

function selectExpr(name: string): string {
  if (name === 'start_time' || name === 'end_time') return `toUnixTimestamp64Micro(l.${name}) AS ${name}`;
  if (IP_COLUMNS.has(name))
    return `replaceRegexpOne(toString(l.${name}), '^::ffff:(\\d+\\.\\d+\\.\\d+\\.\\d+)$', '\\1') AS ${name}`;
  return `l.${name} AS ${name}`;
}

export const SELECT = TRACE_ROW_COLUMNS.map(selectExpr).join(', ');

export function rowByKeyQuery(k: RecordKey): BoundQuery {
  return {
    sql:
      `SELECT ${SELECT} FROM ${TABLE} AS l WHERE l.start_time = fromUnixTimestamp64Micro({start_time:Int64}) ` +
      'AND l.end_time = fromUnixTimestamp64Micro({end_time:Int64}) AND l.flow_id = {flow_id:UInt64} ' +
      'AND l.request_id = {request_id:UInt64} AND l.agent_id = {agent_id:UInt32} ' +
      'AND l.observation_point = {observation_point:String} LIMIT 1',
    params: { ...k },
  };
}

export function rowsByTraceIdQuery(traceId: string, limit: number): BoundQuery {
  return {
    sql: `SELECT ${SELECT} FROM ${TABLE} AS l WHERE l.trace_id = {trace_id:String} ORDER BY l.start_time LIMIT {limit:UInt32}`,
    params: { trace_id: traceId, limit },
  };
}

export function probeQuery(p: Probe, limit: number): BoundQuery {
  const params: Record<string, unknown> = {
    from_us: Math.max(0, Math.floor(p.fromUs)),
    to_us: Math.ceil(p.toUs),
    limit,
  };
  const terms: string[] = [];
  if (p.traceIds.length) {
    terms.push('l.trace_id IN {trace_ids:Array(String)}');
    params.trace_ids = p.traceIds;
  }
  if (p.xRequestIds.length) {
    terms.push('l.x_request_id_0 IN {xrids:Array(String)}', 'l.x_request_id_1 IN {xrids:Array(String)}');
    params.xrids = p.xRequestIds;
  }
  if (p.tcpSeqs.length) {
    terms.push('l.req_tcp_seq IN {seqs:Array(UInt32)}', 'l.resp_tcp_seq IN {seqs:Array(UInt32)}');
    // one level ahead each way: the calls made by the processes serving those requests, and
    // the requests served by the processes making them, so a round crosses a whole hop
    // (client side, server side and the next process) instead of half of one
    const ahead = (rows: string, pid: string, of: string, ofPid: string) =>
      `(l.observation_point = '${rows}' AND (l.agent_id, l.${pid}) IN (SELECT s.agent_id, s.${ofPid} ` +
      `FROM ${TABLE} AS s PREWHERE s.start_time >= fromUnixTimestamp64Micro({from_us:Int64}) ` +
      'AND s.start_time <= fromUnixTimestamp64Micro({to_us:Int64}) ' +
      `WHERE s.observation_point = '${of}' AND s.req_tcp_seq IN {seqs:Array(UInt32)}))`;
    terms.push(
      ahead('c-p', 'process_id_0', 's-p', 'process_id_1'),
      ahead('s-p', 'process_id_1', 'c-p', 'process_id_0'),
    );
    params.seqs = p.tcpSeqs;
  }
  if (p.syscallIds.length) {
    terms.push(
      'l.syscall_trace_id_request IN {sys:Array(UInt64)}',
      'l.syscall_trace_id_response IN {sys:Array(UInt64)}',
    );
    params.sys = p.syscallIds;
  }
  p.windows.forEach((w, i) => {
    const pidCol = w.side === 'c-p' ? 'process_id_0' : 'process_id_1';
    terms.push(
      `(l.agent_id = {w${i}_a:UInt32} AND l.${pidCol} = {w${i}_p:UInt32} AND l.observation_point = '${w.side}' ` +
        `AND l.start_time >= fromUnixTimestamp64Micro({w${i}_f:Int64}) AND l.start_time <= fromUnixTimestamp64Micro({w${i}_t:Int64}))`,
    );
    Object.assign(params, {
      [`w${i}_a`]: w.agentId,
      [`w${i}_p`]: w.pid,
      [`w${i}_f`]: w.fromUs,
      [`w${i}_t`]: w.toUs,
    });
  });
  return {
    sql:
      // PREWHERE: read only start_time over the window's granules, the id columns only
      // where the window matched (the sort key narrows a range to whole minutes only)
      `SELECT ${SELECT} FROM ${TABLE} AS l PREWHERE l.start_time >= fromUnixTimestamp64Micro({from_us:Int64}) ` +
      `AND l.start_time <= fromUnixTimestamp64Micro({to_us:Int64}) WHERE (${terms.join(' OR ')}) LIMIT {limit:UInt32}`,
    params,
  };
}
