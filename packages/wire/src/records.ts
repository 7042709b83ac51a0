/**
 * Record shapes of PRODUCT.md §3.1. Field names are the storage column names; see
 * columns.ts for the single column list. Times are microseconds since the epoch.
 */
import type { TagIdName } from './columns';

export type L7Protocol =
  | 'http1'
  | 'http2'
  | 'grpc'
  | 'mysql'
  | 'postgresql'
  | 'redis'
  | 'dns'
  | 'kafka'
  | 'mqtt'
  | 'amqp'
  | 'tls'
  | 'unknown';

export type ResponseStatus = 'ok' | 'client_error' | 'server_error' | 'timeout' | 'unknown' | 'parse_failed';
export type ObservationPoint = 'c-p' | 's-p' | 'c' | 's' | 'app';
export type SignalSource = 'ebpf' | 'packet' | 'otel';
export type L4Protocol = 'tcp' | 'udp';
export type CloseType =
  | 'normal'
  | 'client_rst'
  | 'server_rst'
  | 'server_syn_miss'
  | 'client_ack_miss'
  | 'half_close'
  | 'timeout'
  | 'unknown';

type TagIds = { [K in `${TagIdName}_0` | `${TagIdName}_1`]?: number };

export interface RequestLog extends TagIds {
  start_time: number;
  end_time: number;
  response_duration: number;
  l7_protocol: L7Protocol;
  version: string;
  request_type: string;
  request_domain: string;
  request_resource: string;
  endpoint: string;
  request_id: number;
  response_status: ResponseStatus;
  response_code: number;
  response_exception: string;
  response_result: string;
  request_length: number;
  response_length: number;
  sql_affected_rows: number;
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  x_request_id_0: string;
  x_request_id_1: string;
  ip_0: string;
  ip_1: string;
  client_port: number;
  server_port: number;
  protocol: L4Protocol;
  flow_id: number;
  req_tcp_seq: number;
  resp_tcp_seq: number;
  syscall_trace_id_request: number;
  syscall_trace_id_response: number;
  process_id_0: number;
  process_id_1: number;
  process_kname_0: string;
  process_kname_1: string;
  observation_point: ObservationPoint;
  signal_source: SignalSource;
  agent_id: number;
  attribute_names: string[];
  attribute_values: string[];
}

export interface FlowLog extends TagIds {
  start_time: number;
  end_time: number;
  duration: number;
  ip_0: string;
  ip_1: string;
  client_port: number;
  server_port: number;
  protocol: L4Protocol;
  flow_id: number;
  byte_tx: number;
  byte_rx: number;
  packet_tx: number;
  packet_rx: number;
  rtt: number;
  rtt_client: number;
  rtt_server: number;
  srt: number;
  art: number;
  retrans_tx: number;
  retrans_rx: number;
  zero_win_tx: number;
  zero_win_rx: number;
  syn_count: number;
  synack_count: number;
  close_type: CloseType;
  l7_protocol: L7Protocol;
  signal_source: SignalSource;
  agent_id: number;
}

/** A request log with every field at its empty value; parsers fill what they know. */
export function emptyRequestLog(): RequestLog {
  return {
    start_time: 0,
    end_time: 0,
    response_duration: 0,
    l7_protocol: 'unknown',
    version: '',
    request_type: '',
    request_domain: '',
    request_resource: '',
    endpoint: '',
    request_id: 0,
    response_status: 'unknown',
    response_code: 0,
    response_exception: '',
    response_result: '',
    request_length: 0,
    response_length: 0,
    sql_affected_rows: 0,
    trace_id: '',
    span_id: '',
    parent_span_id: '',
    x_request_id_0: '',
    x_request_id_1: '',
    ip_0: '0.0.0.0',
    ip_1: '0.0.0.0',
    client_port: 0,
    server_port: 0,
    protocol: 'tcp',
    flow_id: 0,
    req_tcp_seq: 0,
    resp_tcp_seq: 0,
    syscall_trace_id_request: 0,
    syscall_trace_id_response: 0,
    process_id_0: 0,
    process_id_1: 0,
    process_kname_0: '',
    process_kname_1: '',
    observation_point: 'c',
    signal_source: 'packet',
    agent_id: 0,
    attribute_names: [],
    attribute_values: [],
  };
}

/** What `agent replay` prints and what the sender ships: a record tagged with its kind. */
export type AgentRecord = ({ kind: 'request_log' } & RequestLog) | ({ kind: 'flow_log' } & FlowLog);
