/**
 * One definition of every record's columns (PRODUCT.md §3.1). The agent fills records with
 * these names, the wire codec encodes them column by column, and the API derives the
 * ClickHouse DDL from the same list, so a field is added in exactly one place.
 */
export type ColumnType =
  | 'u8'
  | 'u16'
  | 'u32'
  | 'u64' // carried as number in JS; values stay below 2^53 (ids, µs timestamps, seqs)
  | 'i64'
  | 'f64'
  | 'string'
  | 'lowcard' // low-cardinality string (enums such as l7_protocol)
  | 'ip' // IPv4 or IPv6 textual form; stored as IPv6
  | 'strings'; // array of strings

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
}

const c = (name: string, type: ColumnType): Column => ({ name, type });

/** Universal tag ids for both ends (`_0` client, `_1` server), PRODUCT.md §2.5. */
export const TAG_ID_NAMES = [
  'host_id',
  'gprocess_id',
  'container_id',
  'pod_id',
  'pod_ns_id',
  'pod_group_id',
  'pod_node_id',
  'pod_cluster_id',
  'service_id',
  'subnet_id',
  'vpc_id',
  'auto_instance_id',
  'auto_instance_type',
  'auto_service_id',
  'auto_service_type',
] as const;
export type TagIdName = (typeof TAG_ID_NAMES)[number];

export const TAG_ID_COLUMNS: readonly Column[] = TAG_ID_NAMES.flatMap((n) => [
  c(`${n}_0`, 'u32'),
  c(`${n}_1`, 'u32'),
]);

export const REQUEST_LOG_COLUMNS: readonly Column[] = [
  c('start_time', 'u64'),
  c('end_time', 'u64'),
  c('response_duration', 'u64'),
  c('l7_protocol', 'lowcard'),
  c('version', 'lowcard'),
  c('request_type', 'lowcard'),
  c('request_domain', 'string'),
  c('request_resource', 'string'),
  c('endpoint', 'string'),
  c('request_id', 'u64'),
  c('response_status', 'lowcard'),
  c('response_code', 'i64'),
  c('response_exception', 'string'),
  c('response_result', 'string'),
  c('request_length', 'i64'),
  c('response_length', 'i64'),
  c('sql_affected_rows', 'u64'),
  c('trace_id', 'string'),
  c('span_id', 'string'),
  c('parent_span_id', 'string'),
  c('x_request_id_0', 'string'),
  c('x_request_id_1', 'string'),
  c('ip_0', 'ip'),
  c('ip_1', 'ip'),
  c('client_port', 'u16'),
  c('server_port', 'u16'),
  c('protocol', 'lowcard'),
  c('flow_id', 'u64'),
  c('req_tcp_seq', 'u32'),
  c('resp_tcp_seq', 'u32'),
  c('syscall_trace_id_request', 'u64'),
  c('syscall_trace_id_response', 'u64'),
  c('process_id_0', 'u32'),
  c('process_id_1', 'u32'),
  c('process_kname_0', 'lowcard'),
  c('process_kname_1', 'lowcard'),
  c('observation_point', 'lowcard'),
  c('signal_source', 'lowcard'),
  c('agent_id', 'u32'),
  ...TAG_ID_COLUMNS,
  c('attribute_names', 'strings'),
  c('attribute_values', 'strings'),
];

export const FLOW_LOG_COLUMNS: readonly Column[] = [
  c('start_time', 'u64'),
  c('end_time', 'u64'),
  c('duration', 'u64'),
  c('ip_0', 'ip'),
  c('ip_1', 'ip'),
  c('client_port', 'u16'),
  c('server_port', 'u16'),
  c('protocol', 'lowcard'),
  c('flow_id', 'u64'),
  c('byte_tx', 'u64'),
  c('byte_rx', 'u64'),
  c('packet_tx', 'u64'),
  c('packet_rx', 'u64'),
  c('rtt', 'u32'),
  c('rtt_client', 'u32'),
  c('rtt_server', 'u32'),
  c('srt', 'u32'),
  c('art', 'u32'),
  c('retrans_tx', 'u32'),
  c('retrans_rx', 'u32'),
  c('zero_win_tx', 'u32'),
  c('zero_win_rx', 'u32'),
  c('syn_count', 'u32'),
  c('synack_count', 'u32'),
  c('close_type', 'lowcard'),
  c('l7_protocol', 'lowcard'),
  c('signal_source', 'lowcard'),
  c('agent_id', 'u32'),
  ...TAG_ID_COLUMNS,
];
