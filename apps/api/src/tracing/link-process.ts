/**
 * Inside a process: which incoming request (s-p) an outgoing call (c-p) was made for.
 *
 * Kernel semantics (packages/bpf capture.bpf.c assign_trace_id): every incoming message
 * starts a new syscall trace id on its thread and every outgoing one carries the thread's
 * current id, i.e. the id of the read whose callback wrote it; the first message on a
 * socket connected by a thread carries the id the thread had at connect(). For a thread
 * that serves one request at a time this gives, for S (s-p) and its calls C1..Cn (c-p):
 *   C1.req  = S.req          (the first call is written before any other read)
 *   Ck.req  = Ck-1.resp      (a call written right after the previous call's answer)
 *   Cn.resp = S.resp         (the response is written right after the last call's answer)
 * Event-loop servers (Node) serve many requests on one thread. Measured on the demo chain
 * (apps/api/test/trace-live.test.ts, bursts of 8 concurrent requests): the response rule
 * survives interleaving (the response is written in the callback that read the last
 * answer), the request rule holds for the first call and, through the connect() id, for
 * calls on fresh connections; but a call made after an await on an event the kernel does
 * not see as a read (a socket's 'close', a timer, a pool queue) is written after whatever
 * read came last, so the chain rules (Ck.req = Ck-1.resp) mislead there. Hence each
 * piece of evidence is only a vote, the chain rules weigh least, and a candidate must
 * contain the call in time. X-Request-ID echoed from the incoming request is as strong as
 * the response rule. Without any vote, the only s-p of the process that contains the call
 * in time is its parent; several such candidates are reported as ambiguous.
 */

import type { LinkDecision, LinkOptions } from './link-types';
import { processKey, type TraceRow } from './row';

const W_RESP = 4;
const W_XRID = 4;
const W_NEXT = 1; // a sibling written right after this call's answer
const W_REQ = 2;
const W_PREV = 1; // this call written right after a sibling's answer
const MAX_ROUNDS = 6;

interface ProcessRows {
  servers: number[];
  clients: number[];
}

function contains(s: TraceRow, c: TraceRow, tol: number): boolean {
  return s.start_time - tol <= c.start_time && c.end_time <= s.end_time + tol;
}

function directScore(s: TraceRow, c: TraceRow, o: LinkOptions): { score: number; xrid: boolean } {
  const rules = o.processRules;
  let score = 0;
  let xrid = false;
  if (!rules || rules.has('syscall')) {
    if (c.syscall_trace_id_response !== 0 && c.syscall_trace_id_response === s.syscall_trace_id_response)
      score += W_RESP;
    if (c.syscall_trace_id_request !== 0 && c.syscall_trace_id_request === s.syscall_trace_id_request)
      score += W_REQ;
  }
  if ((!rules || rules.has('x_request_id')) && c.x_request_id_0 !== '') {
    if (c.x_request_id_0 === s.x_request_id_0 || c.x_request_id_0 === s.x_request_id_1) {
      score += W_XRID;
      xrid = true;
    }
  }
  return { score, xrid };
}

function groupByProcess(rows: readonly TraceRow[]): Map<string, ProcessRows> {
  const out = new Map<string, ProcessRows>();
  rows.forEach((r, i) => {
    if (r.observation_point !== 'c-p' && r.observation_point !== 's-p') return;
    if (r.signal_source === 'otel') return;
    const k = processKey(r);
    let g = out.get(k);
    if (!g) {
      g = { servers: [], clients: [] };
      out.set(k, g);
    }
    (r.observation_point === 's-p' ? g.servers : g.clients).push(i);
  });
  return out;
}

function linkOneProcess(
  rows: readonly TraceRow[],
  g: ProcessRows,
  o: LinkOptions,
  out: Map<number, LinkDecision>,
): void {
  const useSyscall = !o.processRules || o.processRules.has('syscall');
  const candidates = new Map<number, number[]>();
  for (const ci of g.clients) {
    const c = rows[ci]!;
    candidates.set(
      ci,
      g.servers.filter((si) => contains(rows[si]!, c, o.sameHostToleranceUs)),
    );
  }
  const assigned = new Map<number, number>();
  // per parent, the syscall ids of the calls already assigned to it (chain rules in O(1))
  const sibReq = new Map<number, Set<number>>();
  const sibResp = new Map<number, Set<number>>();
  const assign = (ci: number, si: number, d: LinkDecision) => {
    assigned.set(ci, si);
    out.set(ci, d);
    const c = rows[ci]!;
    if (!sibReq.has(si)) sibReq.set(si, new Set());
    if (!sibResp.has(si)) sibResp.set(si, new Set());
    sibReq.get(si)!.add(c.syscall_trace_id_request);
    sibResp.get(si)!.add(c.syscall_trace_id_response);
  };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let changed = false;
    for (const ci of g.clients) {
      if (assigned.has(ci)) continue;
      const c = rows[ci]!;
      const cands = candidates.get(ci)!;
      if (cands.length === 0) continue;
      const scores = cands.map((si) => {
        const d = directScore(rows[si]!, c, o);
        let chain = 0;
        if (useSyscall) {
          if (c.syscall_trace_id_response !== 0 && sibReq.get(si)?.has(c.syscall_trace_id_response))
            chain = Math.max(chain, W_NEXT);
          if (c.syscall_trace_id_request !== 0 && sibResp.get(si)?.has(c.syscall_trace_id_request))
            chain = Math.max(chain, W_PREV);
        }
        return { si, score: d.score + chain, xrid: d.xrid && d.score === W_XRID && chain === 0 };
      });
      const best = Math.max(...scores.map((s) => s.score));
      const top = scores.filter((s) => s.score === best);
      if (best > 0 && top.length === 1) {
        assign(ci, top[0]!.si, { parent: top[0]!.si, rule: top[0]!.xrid ? 'x_request_id' : 'syscall' });
        changed = true;
      } else if (
        round === 0 &&
        best === 0 &&
        cands.length === 1 &&
        (!o.processRules || o.processRules.has('time_window'))
      ) {
        assign(ci, cands[0]!, { parent: cands[0]!, rule: 'time_window' });
        changed = true;
      }
    }
    if (!changed) break;
  }
  for (const ci of g.clients) {
    if (assigned.has(ci)) continue;
    const c = rows[ci]!;
    const cands = candidates.get(ci)!;
    if (cands.length > 1) {
      out.set(ci, {
        reason: 'ambiguous',
        detail: `${cands.length} incoming requests of ${c.process_kname_0 || 'the process'} were in flight; none is tied to this call by syscall id or X-Request-ID`,
      });
    } else if (g.servers.some((si) => directScore(rows[si]!, c, o).score > 0)) {
      out.set(ci, {
        reason: 'outside_time_tolerance',
        detail: 'an incoming request shares its syscall trace id but does not contain this call in time',
      });
    } else {
      out.set(ci, {
        reason: 'no_incoming_request',
        detail: 'no incoming request of this process was in flight (the process started the call itself)',
      });
    }
  }
}

/** Parent decisions for every c-p row (process-local links). */
export function linkInProcess(rows: readonly TraceRow[], o: LinkOptions): Map<number, LinkDecision> {
  const out = new Map<number, LinkDecision>();
  for (const g of groupByProcess(rows).values()) linkOneProcess(rows, g, o, out);
  return out;
}
