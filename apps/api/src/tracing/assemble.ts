/**
 * Rows -> Trace (pure): link every row, keep the tree that holds the entry plus the spans
 * that share its header trace id or X-Request-ID but could not be linked (with the reason),
 * then compute depth, order and self time.
 */
import { linkAll } from './link';
import { DEFAULT_LINK_OPTIONS, type LinkOptions } from './link-types';
import { processOf, recordKeyOf, serviceOf, spanIdOf, spanNameOf, type TraceRow } from './row';
import { selfTimes } from './self-time';
import { syntheticTraceId } from './trace-id';
import type { Trace, TraceSearchStats, TraceService, TraceSpan, UnlinkedSpan } from './types';

const KIND = (op: string): TraceSpan['kind'] =>
  op === 'app' ? 'app' : op === 'c' || op === 's' ? 'network' : 'process';

/** Row indexes of the entry's tree and its related orphans, each with its parent (if kept). */
export interface Kept {
  root: number;
  order: number[];
  depth: Map<number, number>;
}

function children(parentOf: (i: number) => number | undefined, n: number): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const p = parentOf(i);
    if (p === undefined) continue;
    const list = out.get(p);
    if (list) list.push(i);
    else out.set(p, [i]);
  }
  return out;
}

export function assemble(
  rows: readonly TraceRow[],
  entry: number,
  stats: TraceSearchStats,
  o: LinkOptions = DEFAULT_LINK_OPTIONS,
): Trace {
  const { decisions, answered } = linkAll(rows, o);
  const parentOf = (i: number) => decisions.get(i)?.parent;
  const kids = children(parentOf, rows.length);
  const byStart = (a: number, b: number) => rows[a]!.start_time - rows[b]!.start_time || a - b;
  for (const list of kids.values()) list.sort(byStart);

  let root = entry;
  for (let p = parentOf(root); p !== undefined; p = parentOf(root)) root = p;

  const depth = new Map<number, number>();
  const order: number[] = [];
  const walk = (top: number) => {
    const stack: [number, number][] = [[top, 0]];
    while (stack.length) {
      const [i, d] = stack.pop()!;
      if (depth.has(i)) continue;
      depth.set(i, d);
      order.push(i);
      const ks = kids.get(i) ?? [];
      for (let k = ks.length - 1; k >= 0; k--) stack.push([ks[k]!, d + 1]);
    }
  };
  walk(root);

  // orphans that belong to this trace by a shared id: shown with why they are not linked
  const traceIds = new Set(order.map((i) => rows[i]!.trace_id).filter(Boolean));
  const xrids = new Set(
    order.flatMap((i) => [rows[i]!.x_request_id_0, rows[i]!.x_request_id_1]).filter(Boolean),
  );
  const orphanRoots = rows
    .map((_, i) => i)
    .filter((i) => !depth.has(i) && parentOf(i) === undefined)
    .filter((i) => {
      const r = rows[i]!;
      return (
        (r.trace_id !== '' && traceIds.has(r.trace_id)) ||
        (r.x_request_id_0 !== '' && xrids.has(r.x_request_id_0))
      );
    })
    .sort(byStart);
  for (const i of orphanRoots) walk(i);

  const self = selfTimes(rows, order, kids, depth);
  const ids = new Map(order.map((i) => [i, spanIdOf(rows[i]!)]));
  const unlinked: UnlinkedSpan[] = [];
  const spans: TraceSpan[] = order.map((i) => {
    const r = rows[i]!;
    const d = decisions.get(i);
    const p = d?.parent;
    const proc = processOf(r);
    const span: TraceSpan = {
      spanId: ids.get(i)!,
      kind: KIND(r.observation_point),
      service: serviceOf(r),
      name: spanNameOf(r),
      startUs: r.start_time,
      endUs: Math.max(r.end_time, r.start_time),
      selfUs: self.get(i) ?? 0,
      status: r.response_status,
      observationPoint: r.observation_point,
      signalSource: r.signal_source,
      l7Protocol: r.l7_protocol,
      requestType: r.request_type,
      requestDomain: r.request_domain,
      requestResource: r.request_resource,
      endpoint: r.endpoint,
      responseCode: r.response_code,
      responseException: r.response_exception,
      processName: proc.name,
      processId: proc.pid,
      clientIp: r.ip_0,
      clientPort: r.client_port,
      ip: r.ip_1,
      port: r.server_port,
      traceIdHeader: r.trace_id,
      xRequestId: r.x_request_id_0 || r.x_request_id_1,
      agentId: r.agent_id,
      recordKey: recordKeyOf(r),
      depth: depth.get(i)!,
    };
    if (p !== undefined && ids.has(p)) {
      span.parentSpanId = ids.get(p)!;
      span.linkedBy = d?.rule;
    } else if (i !== root || d?.reason === 'ambiguous' || d?.reason === 'outside_time_tolerance') {
      const reason = d?.reason ?? (stats.truncated ? 'not_searched' : 'missing_parent_span');
      span.unlinkedReason = reason;
      unlinked.push({ spanId: span.spanId, reason, detail: d?.detail ?? 'no rule found a parent' });
    }
    if (
      r.observation_point === 'c-p' &&
      r.signal_source !== 'otel' &&
      !answered.has(i) &&
      !span.unlinkedReason
    ) {
      span.unlinkedReason = 'no_server_record';
      unlinked.push({
        spanId: span.spanId,
        reason: 'no_server_record',
        detail: 'no server-side record with the same tcp seq (peer not instrumented)',
      });
    }
    return span;
  });

  const services = new Map<string, TraceService>();
  for (const s of spans) {
    const e = services.get(s.service) ?? { name: s.service, selfUs: 0, spans: 0 };
    e.selfUs += s.selfUs;
    e.spans += 1;
    services.set(s.service, e);
  }
  const rootRow = rows[root]!;
  const headerIds = spans.map((s) => s.traceIdHeader).filter(Boolean);
  return {
    traceId: mostCommon(headerIds) ?? syntheticTraceId(recordKeyOf(rootRow)),
    rootSpanId: ids.get(root)!,
    startUs: Math.min(...spans.map((s) => s.startUs)),
    endUs: Math.max(...spans.map((s) => s.endUs)),
    spans,
    services: [...services.values()].sort((a, b) => b.selfUs - a.selfUs),
    unlinked,
    stats,
  };
}

function mostCommon(values: readonly string[]): string | undefined {
  const n = new Map<string, number>();
  let best: string | undefined;
  for (const v of values) {
    const c = (n.get(v) ?? 0) + 1;
    n.set(v, c);
    if (best === undefined || c > n.get(best)!) best = v;
  }
  return best;
}
