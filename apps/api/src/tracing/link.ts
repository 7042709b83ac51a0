/**
 * All parent/child rules in one pass over the rows (pure). Precedence per row kind:
 *   s-p, c, s : the same request's earlier observation point (tcp seq)   link-network.ts
 *   c-p       : the app span whose id it carries, else the process's
 *               incoming request (syscall ids, X-Request-ID, time)       link-app.ts, link-process.ts
 *   app       : parent_span_id                                          link-app.ts
 */
import { linkApp } from './link-app';
import { linkBySeq } from './link-network';
import { linkInProcess } from './link-process';
import type { LinkDecision, LinkOptions } from './link-types';
import type { TraceRow } from './row';

export interface Links {
  decisions: Map<number, LinkDecision>;
  /** c-p rows whose server side (c, s or s-p record) was found */
  answered: Set<number>;
}

export function linkAll(rows: readonly TraceRow[], o: LinkOptions): Links {
  const net = linkBySeq(rows, o);
  const proc = linkInProcess(rows, o);
  const app = linkApp(rows, o);
  const decisions = new Map<number, LinkDecision>(net.parents);
  for (const [i, d] of proc) decisions.set(i, d);
  for (const [i, d] of app) if (d.parent !== undefined || !decisions.has(i)) decisions.set(i, d);
  breakCycles(decisions, rows.length);
  return { decisions, answered: net.answered };
}

/** Rules from different sources could in theory close a loop; the edge that closes it is dropped. */
function breakCycles(decisions: Map<number, LinkDecision>, n: number): void {
  const state = new Uint8Array(n); // 0 new, 1 on the current path, 2 done
  for (let start = 0; start < n; start++) {
    const path: number[] = [];
    let i: number | undefined = start;
    while (i !== undefined && state[i] === 0) {
      state[i] = 1;
      path.push(i);
      const p: number | undefined = decisions.get(i)?.parent;
      if (p !== undefined && state[p] === 1) {
        decisions.set(i, { reason: 'ambiguous', detail: 'its candidate parent is also its descendant' });
        break;
      }
      i = p;
    }
    for (const j of path) state[j] = 2;
  }
}
