/**
 * OTLP spans (observation_point 'app') join the kernel's records through the ids the SDK
 * propagates. A request header (traceparent/B3/sw8) carries the caller's span id, which the
 * agent stores as the record's span_id on both ends of the hop. So, for one call from a
 * client app span X to a server app span Y (Y.parent_span_id = X.span_id):
 *   X -> c-p (span_id = X) -> s-p (span_id = X, tcp seq) -> Y
 * Within one service, an app span's parent is the app span named by its parent_span_id.
 */

import type { LinkDecision, LinkOptions } from './link-types';
import { serviceOf, type TraceRow } from './row';

function containsWithin(p: TraceRow, c: TraceRow, tol: number): boolean {
  return p.start_time - tol <= c.start_time && c.end_time <= p.end_time + tol;
}

/** Parent decisions for app spans, and for c-p records made by an app span. */
export function linkApp(rows: readonly TraceRow[], o: LinkOptions): Map<number, LinkDecision> {
  const out = new Map<number, LinkDecision>();
  const appBySpan = new Map<string, number>();
  const serversBySpan = new Map<string, number[]>();
  rows.forEach((r, i) => {
    if (!r.span_id) return;
    if (r.observation_point === 'app') appBySpan.set(`${r.trace_id}|${r.span_id}`, i);
    else if (r.observation_point === 's-p') {
      const k = `${r.trace_id}|${r.span_id}`;
      serversBySpan.set(k, [...(serversBySpan.get(k) ?? []), i]);
    }
  });
  rows.forEach((r, i) => {
    if (r.observation_point === 'app') {
      if (!r.parent_span_id) return;
      const k = `${r.trace_id}|${r.parent_span_id}`;
      const app = appBySpan.get(k);
      if (app !== undefined && serviceOf(rows[app]!) === serviceOf(r)) {
        out.set(i, { parent: app, rule: 'span_id' });
        return;
      }
      const servers = (serversBySpan.get(k) ?? []).filter((s) =>
        containsWithin(rows[s]!, r, o.crossHostToleranceUs),
      );
      if (servers.length === 1) out.set(i, { parent: servers[0]!, rule: 'span_id' });
      else if (servers.length > 1)
        out.set(i, {
          reason: 'ambiguous',
          detail: `${servers.length} server records carry span ${r.parent_span_id}`,
        });
      else if (app !== undefined) out.set(i, { parent: app, rule: 'span_id' });
      else
        out.set(i, {
          reason: 'missing_parent_span',
          detail: `parent span ${r.parent_span_id} was not found`,
        });
    } else if (r.observation_point === 'c-p' && r.span_id) {
      const app = appBySpan.get(`${r.trace_id}|${r.span_id}`);
      if (app !== undefined) out.set(i, { parent: app, rule: 'span_id' });
    }
  });
  return out;
}
