/** Trace search: entry requests matching the filters, one summary each (I/O over search-sql.ts). */
import type { z } from 'zod';
import { normalizeRow } from '../trpc/requestLogSql';
import { TraceError } from './errors';
import { recordKeyOf, serviceOf, spanNameOf, type TraceRow } from './row';
import { traceIdCountsQuery, type traceSearchInput, traceSearchQuery } from './search-sql';
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

export async function searchTraces(
  src: TraceSource,
  input: z.output<typeof traceSearchInput>,
): Promise<TraceSummary[]> {
  const rows = (await run(src, traceSearchQuery(input))) as unknown as (TraceRow & {
    response_duration: number;
  })[];
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
