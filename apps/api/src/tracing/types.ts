/**
 * The shape of an assembled trace (PRODUCT.md §2.6): what the API returns and the trace
 * waterfall renders. Plain data, JSON-safe (numbers are µs since the epoch, all < 2^53).
 */

/** `process`: an eBPF record seen in a process (c-p / s-p); `network`: a packet record (c / s); `app`: an OTLP span. */
export type SpanKind = 'process' | 'network' | 'app';

/** Which rule attached a span to its parent (README.md describes each). */
export type LinkRule = 'tcp_seq' | 'syscall' | 'x_request_id' | 'trace_id' | 'span_id' | 'time_window';

/** Why a span has no parent although it is not the trace's root. */
export type UnlinkedReasonCode =
  | 'no_server_record' // a client span whose peer is not instrumented (no s-p with its tcp seqs)
  | 'no_client_record' // a server span whose caller is not instrumented (no c-p with its tcp seqs)
  | 'no_incoming_request' // a client span whose thread had no incoming request (syscall id unmatched)
  | 'ambiguous' // several candidate parents matched equally well; none chosen
  | 'outside_time_tolerance' // a candidate matched by id but its time window does not contain the span
  | 'missing_parent_span' // an app span whose parent_span_id was never seen
  | 'not_searched'; // the search stopped (iteration or row budget) before the parent could be found

/** The row key of one request log (same fields as the requestLog.get key). */
export interface RecordKey {
  start_time: number;
  end_time: number;
  flow_id: number;
  request_id: number;
  agent_id: number;
  observation_point: string;
}

export interface TraceSpan {
  /** Stable within a trace: the OTLP span_id for app spans, derived from the record key otherwise. */
  spanId: string;
  parentSpanId?: string;
  kind: SpanKind;
  /** auto_service name when known, else the process name, else the server ip:port. */
  service: string;
  /** e.g. `GET /items`, `SELECT`, `GET` (redis). */
  name: string;
  startUs: number;
  endUs: number;
  /** duration minus the union of the children's intervals (clipped to this span). */
  selfUs: number;
  /** response_status: ok | client_error | server_error | timeout | unknown | parse_failed */
  status: string;
  /** c-p | s-p | c | s | app */
  observationPoint: string;
  signalSource: string;
  l7Protocol: string;
  requestType: string;
  requestDomain: string;
  requestResource: string;
  endpoint: string;
  responseCode: number;
  responseException: string;
  /** the process that recorded the span (client process for c-p, server process for s-p) */
  processName: string;
  processId: number;
  clientIp: string;
  clientPort: number;
  /** server side of the connection */
  ip: string;
  port: number;
  /** W3C/B3/sw8/OTLP trace id carried by the record, '' when none */
  traceIdHeader: string;
  xRequestId: string;
  agentId: number;
  /** the request-log row behind the span (app spans are rows too), for requestLog.get */
  recordKey: RecordKey;
  linkedBy?: LinkRule;
  /**
   * Why a link is missing: the span has no parent and is not the root, or (client spans)
   * its server side was not found ('no_server_record').
   */
  unlinkedReason?: UnlinkedReasonCode;
  /** distance from the root (root = 0); unlinked spans are placed at depth 0 */
  depth: number;
}

export interface TraceService {
  name: string;
  /** sum of the self time of the service's spans */
  selfUs: number;
  spans: number;
}

export interface UnlinkedSpan {
  spanId: string;
  reason: UnlinkedReasonCode;
  /** human-readable explanation, e.g. 'no server-side record (peer not instrumented)' */
  detail: string;
}

export interface TraceSearchStats {
  /** search rounds run (each one indexed query) */
  iterations: number;
  /** rows read back over all rounds */
  rows: number;
  /** true when a row or iteration budget cut the search short */
  truncated: boolean;
}

export interface Trace {
  /** header trace id when the trace has one, else a synthetic id derived from the root record */
  traceId: string;
  rootSpanId: string;
  startUs: number;
  endUs: number;
  /** parents before children (depth-first, children by start time) */
  spans: TraceSpan[];
  /** sorted by selfUs descending */
  services: TraceService[];
  unlinked: UnlinkedSpan[];
  stats: TraceSearchStats;
}

/** One row of the trace search list: an entry request and the size of the trace it starts. */
export interface TraceSummary {
  traceId: string;
  recordKey: RecordKey;
  service: string;
  name: string;
  startUs: number;
  durationUs: number;
  status: string;
  responseCode: number;
  /** rows sharing the entry's header trace id, or the assembled span count when assembled */
  spanCount: number;
}
