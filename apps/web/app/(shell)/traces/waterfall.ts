/**
 * Trace -> waterfall rows (STYLE.md rule 5: a React-free transform; the component only
 * positions what this returns). Handles 10k spans in one linear pass; folding a span hides
 * its subtree. The critical path is the chain of spans that bounded the trace's end-to-end
 * time: from the root, the child that finished last, then the one that finished last before
 * that child started, and so on, recursively.
 */
import type { RouterOutputs } from '@/lib/api-types';

export type Trace = RouterOutputs['trace']['get'];
export type Span = Trace['spans'][number];

export interface WaterfallRow {
  span: Span;
  depth: number;
  childCount: number;
  folded: boolean;
  /** bar position as fractions of the trace's time span */
  left: number;
  width: number;
  critical: boolean;
  color: string;
}

export interface Waterfall {
  rows: WaterfallRow[];
  /** spans hidden under folded parents */
  hidden: number;
}

const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#ff9da7',
  '#9c755f',
  '#e15759',
  '#bab0ac',
];

export function serviceColor(service: string): string {
  let h = 0;
  for (let i = 0; i < service.length; i++) h = (h * 31 + service.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

export function childrenOf(spans: readonly Span[]): Map<string, Span[]> {
  const out = new Map<string, Span[]>();
  for (const s of spans) {
    if (!s.parentSpanId) continue;
    const list = out.get(s.parentSpanId);
    if (list) list.push(s);
    else out.set(s.parentSpanId, [s]);
  }
  return out;
}

export function criticalPath(trace: Pick<Trace, 'spans' | 'rootSpanId'>): Set<string> {
  const kids = childrenOf(trace.spans);
  const byId = new Map(trace.spans.map((s) => [s.spanId, s]));
  const out = new Set<string>();
  const root = byId.get(trace.rootSpanId);
  if (!root) return out;
  const stack: [Span, number][] = [[root, root.endUs]];
  while (stack.length) {
    const [span, until] = stack.pop()!;
    out.add(span.spanId);
    let cursor = Math.min(span.endUs, until);
    const children = [...(kids.get(span.spanId) ?? [])].sort((a, b) => b.endUs - a.endUs);
    for (const c of children) {
      if (c.startUs >= cursor) continue;
      stack.push([c, cursor]);
      cursor = c.startUs;
    }
  }
  return out;
}

export function waterfall(
  trace: Trace,
  folded: ReadonlySet<string>,
  critical = criticalPath(trace),
): Waterfall {
  const kids = childrenOf(trace.spans);
  const t0 = trace.startUs;
  const total = Math.max(1, trace.endUs - trace.startUs);
  const rows: WaterfallRow[] = [];
  let hidden = 0;
  let hideBelow = Number.POSITIVE_INFINITY; // depth of the folded span being skipped
  for (const span of trace.spans) {
    if (span.depth > hideBelow) {
      hidden++;
      continue;
    }
    hideBelow = Number.POSITIVE_INFINITY;
    const childCount = kids.get(span.spanId)?.length ?? 0;
    const isFolded = childCount > 0 && folded.has(span.spanId);
    if (isFolded) hideBelow = span.depth;
    rows.push({
      span,
      depth: span.depth,
      childCount,
      folded: isFolded,
      left: (span.startUs - t0) / total,
      width: Math.max(0, span.endUs - span.startUs) / total,
      critical: critical.has(span.spanId),
      color: serviceColor(span.service),
    });
  }
  return { rows, hidden };
}

/** Evenly spaced time marks (µs from the trace start) for the ruler. */
export function ticks(durationUs: number, count = 5): number[] {
  if (durationUs <= 0) return [0];
  return Array.from({ length: count + 1 }, (_, i) => Math.round((durationUs * i) / count));
}

const REASONS: Record<string, string> = {
  no_server_record: 'no server-side record (peer not instrumented)',
  no_client_record: 'no client-side record (caller not instrumented)',
  no_incoming_request: 'the process was serving no request when it made this call',
  ambiguous: 'several requests were in flight; none is tied to this span',
  outside_time_tolerance: 'a matching record lies outside the time tolerance',
  missing_parent_span: 'its parent span was never seen',
  not_searched: 'the search stopped before reaching its parent',
};

export function reasonText(code: string): string {
  return REASONS[code] ?? code;
}
