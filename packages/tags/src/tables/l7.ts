import {
  asEnum,
  L4_PROTOCOL_VALUES,
  L7_PROTOCOL_VALUES,
  OBSERVATION_POINT_VALUES,
  RESPONSE_STATUS_VALUES,
  SIGNAL_SOURCE_VALUES,
} from '../enums';
import type { TableDef } from '../types';
import { CUSTOM_TAG_FAMILIES, pair, tag, universalTags } from './common';
import { counter, delay, ratio, rowCount } from './metrics';

const ERROR = `response_status IN ('client_error', 'server_error')`;

export const L7_FLOW_LOG: TableDef = {
  name: 'l7_flow_log',
  physical: 'flow_log.l7_flow_log',
  description: 'request logs: one row per request/response pair',
  timeColumn: 'start_time',
  twoEnded: true,
  tags: [
    {
      name: 'time',
      type: 'time',
      description: 'request start, seconds since the epoch',
      source: { kind: 'seconds', column: 'start_time' },
    },
    tag('start_time', 'int', 'start_time', 'request start, µs since the epoch'),
    tag('end_time', 'int', 'end_time', 'response end, µs since the epoch'),
    ...universalTags(),
    tag('client_port', 'int', 'client_port', 'client port'),
    tag('server_port', 'int', 'server_port', 'server port'),
    tag('protocol', 'enum', 'protocol', 'transport protocol', asEnum(L4_PROTOCOL_VALUES)),
    tag('l7_protocol', 'enum', 'l7_protocol', 'application protocol', asEnum(L7_PROTOCOL_VALUES)),
    tag('version', 'string', 'version', 'protocol version'),
    tag('request_type', 'string', 'request_type', 'HTTP method, SQL command, Redis command, DNS qtype, ...'),
    tag('request_domain', 'string', 'request_domain', 'HTTP host, DNS name, RPC service'),
    tag('request_resource', 'string', 'request_resource', 'path with query, SQL text, command, topic'),
    tag('endpoint', 'string', 'endpoint', 'path without query or RPC method'),
    tag('request_id', 'int', 'request_id', 'stream / correlation id'),
    tag(
      'response_status',
      'enum',
      'response_status',
      'outcome of the request',
      asEnum(RESPONSE_STATUS_VALUES),
    ),
    tag('response_code', 'int', 'response_code', 'protocol status code (HTTP status, SQL error, DNS rcode)'),
    tag('response_exception', 'string', 'response_exception', 'error message'),
    tag('response_result', 'string', 'response_result', 'response payload summary'),
    tag('trace_id', 'string', 'trace_id', 'distributed trace id'),
    tag('span_id', 'string', 'span_id', 'span id'),
    tag('parent_span_id', 'string', 'parent_span_id', 'parent span id'),
    ...pair('x_request_id', (end) =>
      tag(
        `x_request_id_${end}`,
        'string',
        `x_request_id_${end}`,
        `X-Request-ID of the ${end ? 'response' : 'request'}`,
      ),
    ),
    tag('flow_id', 'int', 'flow_id', 'id of the carrying flow'),
    tag('req_tcp_seq', 'int', 'req_tcp_seq', 'TCP sequence number of the request'),
    tag('resp_tcp_seq', 'int', 'resp_tcp_seq', 'TCP sequence number of the response'),
    tag('syscall_trace_id_request', 'int', 'syscall_trace_id_request', 'kernel trace id of the request'),
    tag('syscall_trace_id_response', 'int', 'syscall_trace_id_response', 'kernel trace id of the response'),
    ...pair('process_id', (end) =>
      tag(`process_id_${end}`, 'int', `process_id_${end}`, `pid (${end ? 'server' : 'client'})`),
    ),
    ...pair('process_kname', (end) =>
      tag(
        `process_kname_${end}`,
        'string',
        `process_kname_${end}`,
        `kernel thread name (${end ? 'server' : 'client'})`,
      ),
    ),
    tag(
      'observation_point',
      'enum',
      'observation_point',
      'where the request was seen',
      asEnum(OBSERVATION_POINT_VALUES),
    ),
    tag(
      'signal_source',
      'enum',
      'signal_source',
      'how the request was captured',
      asEnum(SIGNAL_SOURCE_VALUES),
    ),
    tag('agent_id', 'int', 'agent_id', 'agent that captured the row'),
  ],
  customTags: CUSTOM_TAG_FAMILIES,
  metrics: [
    rowCount,
    counter('request', '1', 'requests', 'requests'),
    counter(
      'response',
      `toUInt64(response_status != 'timeout')`,
      'responses',
      'requests that got a response',
    ),
    counter('error', `toUInt64(${ERROR})`, 'requests', 'client and server errors'),
    counter('client_error', `toUInt64(response_status = 'client_error')`, 'requests', 'client errors'),
    counter('server_error', `toUInt64(response_status = 'server_error')`, 'requests', 'server errors'),
    counter('timeout', `toUInt64(response_status = 'timeout')`, 'requests', 'requests without a response'),
    ratio('error_ratio', 'error', 'request', 'errors / requests'),
    ratio('client_error_ratio', 'client_error', 'request', 'client errors / requests'),
    ratio('server_error_ratio', 'server_error', 'request', 'server errors / requests'),
    {
      ...delay('response_duration', 'response_duration', 'time from request to response'),
      apdex: 'rows',
    },
    counter('request_length', 'request_length', 'bytes', 'request size'),
    counter('response_length', 'response_length', 'bytes', 'response size'),
    counter('sql_affected_rows', 'sql_affected_rows', 'rows', 'rows affected by SQL statements'),
  ],
};
