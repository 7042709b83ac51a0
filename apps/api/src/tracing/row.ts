/**
 * The request-log fields trace assembly reads (a subset of the wire RequestLog), and the
 * facts derived from one row: its span id, the process that recorded it, its service.
 */
import type { RequestLog } from '@zeroscope/wire/records';
import type { RecordKey } from './types';

export const TRACE_ROW_COLUMNS = [
  'start_time',
  'end_time',
  'l7_protocol',
  'request_type',
  'request_domain',
  'request_resource',
  'endpoint',
  'request_id',
  'response_status',
  'response_code',
  'response_exception',
  'trace_id',
  'span_id',
  'parent_span_id',
  'x_request_id_0',
  'x_request_id_1',
  'ip_0',
  'ip_1',
  'client_port',
  'server_port',
  'flow_id',
  'req_tcp_seq',
  'resp_tcp_seq',
  'syscall_trace_id_request',
  'syscall_trace_id_response',
  'process_id_0',
  'process_id_1',
  'process_kname_0',
  'process_kname_1',
  'observation_point',
  'signal_source',
  'agent_id',
  'attribute_names',
  'attribute_values',
] as const satisfies readonly (keyof RequestLog)[];

export type TraceRow = Pick<RequestLog, (typeof TRACE_ROW_COLUMNS)[number]>;

export function recordKeyOf(r: TraceRow): RecordKey {
  return {
    start_time: r.start_time,
    end_time: r.end_time,
    flow_id: r.flow_id,
    request_id: r.request_id,
    agent_id: r.agent_id,
    observation_point: r.observation_point,
  };
}

/** 16 hex digits from the record key (FNV-1a 64), stable across assemblies of the same rows. */
export function spanIdOf(r: TraceRow): string {
  if (r.observation_point === 'app' && r.span_id) return r.span_id;
  const k = `${r.start_time}|${r.end_time}|${r.flow_id}|${r.request_id}|${r.agent_id}|${r.observation_point}|${r.req_tcp_seq}`;
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < k.length; i++) {
    h ^= BigInt(k.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

export const isClient = (r: TraceRow): boolean =>
  r.observation_point === 'c-p' || r.observation_point === 'c';
export const isServer = (r: TraceRow): boolean =>
  r.observation_point === 's-p' || r.observation_point === 's';

/** The process that recorded the row: the client end for c-p, the server end for s-p. */
export function processOf(r: TraceRow): { pid: number; name: string } {
  return r.observation_point === 'c-p'
    ? { pid: r.process_id_0, name: r.process_kname_0 }
    : { pid: r.process_id_1, name: r.process_kname_1 };
}

/** Syscall trace ids are per host and per thread: only rows of one process on one agent compare. */
export const processKey = (r: TraceRow): string => `${r.agent_id}:${processOf(r).pid}`;

export function attribute(r: TraceRow, name: string): string | undefined {
  const i = r.attribute_names.indexOf(name);
  return i < 0 ? undefined : r.attribute_values[i];
}

/** OTLP spans name their service in `service.name`; kernel records by their process. */
export function serviceOf(r: TraceRow): string {
  if (r.observation_point === 'app') return attribute(r, 'service.name') ?? r.process_kname_1 ?? 'app';
  const p = processOf(r);
  if (p.name) return p.name;
  return r.observation_point.startsWith('c') ? `${r.ip_0}` : `${r.ip_1}:${r.server_port}`;
}

export function spanNameOf(r: TraceRow): string {
  if (r.observation_point === 'app') return r.endpoint || r.request_resource || r.request_type || 'span';
  const what = r.endpoint || r.request_resource || r.request_domain;
  const name = [r.request_type, what].filter(Boolean).join(' ');
  return name.length > 120 ? `${name.slice(0, 117)}...` : name || r.l7_protocol;
}
