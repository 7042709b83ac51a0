/**
 * One search round's question (pure): the ids carried by the spans already in the trace
 * that were not asked for yet, inside a time window around them.
 */
import type { TraceRow } from './row';

export interface ProcessWindow {
  agentId: number;
  pid: number;
  /** which side of the process to look for: calls made (c-p) or requests served (s-p) */
  side: 'c-p' | 's-p';
  fromUs: number;
  toUs: number;
}

/** Each window is a clause of its own in the SQL text (ids travel as array parameters): keep the text well under ClickHouse's max_query_size. */
const MAX_WINDOWS = 256;

export interface Probe {
  fromUs: number;
  toUs: number;
  traceIds: string[];
  xRequestIds: string[];
  tcpSeqs: number[];
  syscallIds: number[];
  windows: ProcessWindow[];
}

/** Keys already asked for; a key is asked for once per search. */
export interface Asked {
  keys: Set<string>;
}

export interface ProbeLimits {
  crossHostToleranceUs: number;
  /** cap on ids per kind and windows per round, keeping the query small */
  maxTermsPerRound: number;
}

/**
 * `tree` holds the rows already linked into the trace; `roots` those of them without a
 * parent (only there the search also looks upward by time window).
 */
export function nextProbe(
  tree: readonly TraceRow[],
  roots: ReadonlySet<TraceRow>,
  asked: Asked,
  lim: ProbeLimits,
): Probe | undefined {
  const p: Probe = {
    fromUs: Infinity,
    toUs: 0,
    traceIds: [],
    xRequestIds: [],
    tcpSeqs: [],
    syscallIds: [],
    windows: [],
  };
  const add = <T extends string | number>(list: T[], kind: string, v: T) => {
    if (!v || list.length >= lim.maxTermsPerRound) return;
    const k = `${kind}:${v}`;
    if (asked.keys.has(k)) return;
    asked.keys.add(k);
    list.push(v);
  };
  for (const r of tree) {
    p.fromUs = Math.min(p.fromUs, r.start_time);
    p.toUs = Math.max(p.toUs, r.end_time, r.start_time);
    add(p.traceIds, 't', r.trace_id);
    add(p.xRequestIds, 'x', r.x_request_id_0);
    add(p.xRequestIds, 'x', r.x_request_id_1);
    if (r.signal_source === 'otel') continue;
    add(p.tcpSeqs, 'q', r.req_tcp_seq);
    add(p.tcpSeqs, 'q', r.resp_tcp_seq);
    add(p.syscallIds, 'y', r.syscall_trace_id_request);
    add(p.syscallIds, 'y', r.syscall_trace_id_response);
    const window = (w: ProcessWindow) => {
      const k = `w:${w.agentId}:${w.pid}:${w.side}:${w.fromUs}:${w.toUs}`;
      if (asked.keys.has(k) || p.windows.length >= Math.min(lim.maxTermsPerRound, MAX_WINDOWS)) return;
      asked.keys.add(k);
      p.windows.push(w);
    };
    // calls made while a request was served; and, above a root call, the request it served
    if (r.observation_point === 's-p' && r.process_id_1)
      window({
        agentId: r.agent_id,
        pid: r.process_id_1,
        side: 'c-p',
        fromUs: r.start_time,
        toUs: r.end_time,
      });
    if (r.observation_point === 'c-p' && r.process_id_0 && roots.has(r))
      window({
        agentId: r.agent_id,
        pid: r.process_id_0,
        side: 's-p',
        fromUs: r.start_time - lim.crossHostToleranceUs,
        toUs: r.start_time,
      });
  }
  const empty =
    p.traceIds.length + p.xRequestIds.length + p.tcpSeqs.length + p.syscallIds.length + p.windows.length ===
    0;
  if (empty) return undefined;
  p.fromUs -= lim.crossHostToleranceUs;
  p.toUs += lim.crossHostToleranceUs;
  return p;
}
