/** What one request log or flow log adds to its metric accumulators (wire/metrics values). */
import { LATENCY_SKETCH_COLUMNS, METRIC_VALUE_COLUMNS } from '@zeroscope/wire/metrics';
import { sketchBucket } from '@zeroscope/wire/metrics-sketch';
import type { FlowLog, RequestLog } from '@zeroscope/wire/records';

const indexer = (table: 'application' | 'network') => {
  const cols = METRIC_VALUE_COLUMNS[table];
  return (name: string): number => {
    const i = cols.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`no metric column ${name} in ${table}`);
    return i;
  };
};

const a = indexer('application');
const A = {
  requests: a('requests'),
  responses: a('responses'),
  clientError: a('client_error'),
  serverError: a('server_error'),
  timeout: a('timeout'),
  latSum: a('latency_sum'),
  latCount: a('latency_count'),
  latMax: a('latency_max'),
  reqBytes: a('request_bytes'),
  respBytes: a('response_bytes'),
  sketch: a(LATENCY_SKETCH_COLUMNS[0]!),
};

/** RED of one request: a timeout has no latency; every other outcome had a response. */
export function addRequest(v: Float64Array, r: RequestLog): void {
  v[A.requests]!++;
  if (r.response_status === 'timeout') {
    v[A.timeout]!++;
  } else {
    v[A.responses]!++;
    if (r.response_status === 'client_error') v[A.clientError]!++;
    else if (r.response_status === 'server_error') v[A.serverError]!++;
    const d = Math.max(r.response_duration, 0);
    v[A.latSum]! += d;
    v[A.latCount]!++;
    if (d > v[A.latMax]!) v[A.latMax] = d;
    v[A.sketch + sketchBucket(d)]!++;
  }
  if (r.request_length > 0) v[A.reqBytes]! += r.request_length;
  if (r.response_length > 0) v[A.respBytes]! += r.response_length;
}

const n = indexer('network');
const N = Object.fromEntries(
  [
    'byte_tx',
    'byte_rx',
    'packet_tx',
    'packet_rx',
    'flow',
    'new_flow',
    'closed_flow',
    'rtt_sum',
    'rtt_count',
    'rtt_max',
    'srt_sum',
    'srt_count',
    'art_sum',
    'art_count',
    'retrans_tx',
    'retrans_rx',
    'zero_win_tx',
    'zero_win_rx',
    'conn_failed',
    'server_syn_miss',
    'client_ack_miss',
    'client_rst',
    'server_rst',
    'close_timeout',
  ].map((k) => [k, n(k)]),
) as Record<string, number>;

const COPY = [
  'byte_tx',
  'byte_rx',
  'packet_tx',
  'packet_rx',
  'retrans_tx',
  'retrans_rx',
  'zero_win_tx',
  'zero_win_rx',
] as const;

/** One flow-log interval: its deltas, its delays where measured, and how the flow ended. */
export function addFlow(v: Float64Array, f: FlowLog): void {
  for (const k of COPY) if (f[k] > 0) v[N[k]!]! += f[k];
  v[N.flow!]!++;
  // a flow's first interval starts when the flow started
  if (f.end_time - f.duration === f.start_time) v[N.new_flow!]!++;
  if (f.close_type !== 'unknown') v[N.closed_flow!]!++;
  if (f.rtt > 0) {
    v[N.rtt_sum!]! += f.rtt;
    v[N.rtt_count!]!++;
    if (f.rtt > v[N.rtt_max!]!) v[N.rtt_max!] = f.rtt;
  }
  if (f.srt > 0) {
    v[N.srt_sum!]! += f.srt;
    v[N.srt_count!]!++;
  }
  if (f.art > 0) {
    v[N.art_sum!]! += f.art;
    v[N.art_count!]!++;
  }
  switch (f.close_type) {
    case 'server_syn_miss':
    case 'client_ack_miss':
      v[N.conn_failed!]!++;
      v[N[f.close_type]!]!++;
      break;
    case 'client_rst':
    case 'server_rst':
      v[N[f.close_type]!]!++;
      break;
    case 'timeout':
      v[N.close_timeout!]!++;
      break;
  }
}
