/** Trace search: entry requests matching the filters, one summary each (I/O over search-sql.ts). */
import type { z } from 'zod';
import { normalizeRow } from '../trpc/requestLogSql';
import { TraceError } from './errors';
import { recordKeyOf, serviceOf, spanNameOf, type TraceRow } from './row';
import {
  callersQuery,
  servingQuery,
  traceIdCountsQuery,
  type traceSearchInput,
  traceSearchQuery,
} from './search-sql';
import type { TraceSource } from './store';
import { syntheticTraceId } from './trace-id';
import type { TraceSummary } from './types';

async function run(src: TraceSource, q: { sql: string; params: Record<string, unknown> }) {
  try {
    return (await src.query<Record<string, unknown>>(q.sql, q.params)).map(normalizeRow);
  } catch (cause) {
    throw new TraceError('query_failed', 'trace search failed', { cause });
  }
}

/** Candidate pages are this many times the list's length; at most MAX_PAGES of them. */
const OVERFETCH = 10;
const MAX_PAGES = 5;
/** a caller's record may start a little before the server's (clock skew across hosts) */
const SKEW_US = 1_000_000;

type Candidate = TraceRow & { response_duration: number };

/** Drops candidates whose caller was itself serving a request (an inner hop, not an entry). */
async function entriesOf(
  src: TraceSource,
  cands: Candidate[],
  start: number,
  end: number,
): Promise<Candidate[]> {
  const seqs = [...new Set(cands.map((c) => c.req_tcp_seq).filter((q) => q !== 0))];
  if (seqs.length === 0) return cands;
  const from = Math.min(...cands.map((c) => c.start_time)) - SKEW_US;
  const to = Math.max(...cands.map((c) => c.end_time)) + SKEW_US;
  const callers = await run(src, callersQuery(seqs, from, to));
  const pids = [...new Set(callers.map((c) => Number(c.pid)).filter((p) => p !== 0))];
  const serving = new Set(
    pids.length === 0
      ? []
      : (await run(src, servingQuery(pids, start, end))).map((r) => `${r.agent_id}:${r.pid}`),
  );
  const inner = new Set(
    callers
      .filter((c) => serving.has(`${c.agent_id}:${c.pid}`))
      .map((c) => `${c.req_tcp_seq}|${c.client_port}|${c.server_port}`),
  );
  return cands.filter((c) => !inner.has(`${c.req_tcp_seq}|${c.client_port}|${c.server_port}`));
}

export async function searchTraces(
  src: TraceSource,
  input: z.output<typeof traceSearchInput>,
): Promise<TraceSummary[]> {
  let rows: Candidate[] = [];
  if (!input.entryOnly) rows = (await run(src, traceSearchQuery(input))) as unknown as Candidate[];
  else {
    const size = input.limit * OVERFETCH;
    for (let page = 0; page < MAX_PAGES && rows.length < input.limit; page++) {
      const cands = (await run(
        src,
        traceSearchQuery(input, { limit: size, offset: page * size }),
      )) as unknown as Candidate[];
      rows.push(...(await entriesOf(src, cands, input.start, input.end)));
      if (cands.length < size) break;
    }
    rows = rows.slice(0, input.limit);
  }
  const ids = [...new Set(rows.map((r) => r.trace_id).filter(Boolean))];
  const counts = new Map<string, number>();
  if (ids.length > 0)
    for (const c of await run(src, traceIdCountsQuery(ids, input.start, input.end)))
      counts.set(String(c.trace_id), Number(c.n));
  return rows.map((r) => {
    const key = recordKeyOf(r);
    return {
      traceId: r.trace_id || syntheticTraceId(key),
      recordKey: key,
      service: serviceOf(r),
      name: spanNameOf(r),
      startUs: r.start_time,
      durationUs: Number(r.response_duration) || Math.max(0, r.end_time - r.start_time),
      status: r.response_status,
      responseCode: r.response_code,
      spanCount: counts.get(r.trace_id) ?? 0,
    };
  });
}
