/**
 * Across hops: the records of one request seen at different points (c-p -> c -> s -> s-p)
 * share the TCP sequence numbers of the request's and response's first bytes and the
 * connection's ports. Each record's parent is the nearest earlier point of the same request.
 */

import type { LinkDecision, LinkOptions } from './link-types';
import type { TraceRow } from './row';

const ORDER: Record<string, number> = { 'c-p': 0, c: 1, s: 2, 's-p': 3 };

const seqKey = (r: TraceRow) => `${r.req_tcp_seq}|${r.client_port}|${r.server_port}`;

function respCompatible(a: TraceRow, b: TraceRow): boolean {
  return a.resp_tcp_seq === 0 || b.resp_tcp_seq === 0 || a.resp_tcp_seq === b.resp_tcp_seq;
}

function withinTolerance(child: TraceRow, parent: TraceRow, o: LinkOptions): boolean {
  const tol = child.agent_id === parent.agent_id ? o.sameHostToleranceUs : o.crossHostToleranceUs;
  return child.start_time >= parent.start_time - tol && child.end_time <= parent.end_time + tol;
}

/**
 * Decides the parent of every s-p / c / s row that carries a request sequence number, and
 * records for every c-p row whether some later point of the same request was found.
 */
export function linkBySeq(
  rows: readonly TraceRow[],
  o: LinkOptions,
): { parents: Map<number, LinkDecision>; answered: Set<number> } {
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => {
    if (!(r.observation_point in ORDER) || r.req_tcp_seq === 0 || r.signal_source === 'otel') return;
    const k = seqKey(r);
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  const parents = new Map<number, LinkDecision>();
  const answered = new Set<number>();
  for (const members of groups.values()) {
    for (const i of members) {
      const child = rows[i]!;
      const level = ORDER[child.observation_point]!;
      if (level === 0) continue;
      // the nearest earlier observation point that has records of this request
      let decided: LinkDecision | undefined;
      for (let want = level - 1; want >= 0 && !decided; want--) {
        const same = members.filter(
          (j) => ORDER[rows[j]!.observation_point] === want && respCompatible(rows[j]!, child),
        );
        if (same.length === 0) continue;
        const fit = same.filter((j) => withinTolerance(child, rows[j]!, o));
        if (fit.length === 1) decided = { parent: fit[0]!, rule: 'tcp_seq' };
        else if (fit.length > 1)
          decided = {
            reason: 'ambiguous',
            detail: `${fit.length} client-side records share tcp seq ${child.req_tcp_seq}`,
          };
        else
          decided = {
            reason: 'outside_time_tolerance',
            detail: `a record with tcp seq ${child.req_tcp_seq} exists but its time window does not contain this one`,
          };
      }
      if (decided?.parent !== undefined) answered.add(decided.parent);
      if (decided) parents.set(i, decided);
      else if (child.observation_point === 's-p')
        parents.set(i, {
          reason: 'no_client_record',
          detail: 'no client-side record with the same tcp seq (caller not instrumented)',
        });
    }
  }
  return { parents, answered };
}
