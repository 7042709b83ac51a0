/**
 * The thin I/O layer: runs the iterative search against l7_flow_log and hands the rows to
 * the pure assembly. Each round asks one query with the ids of the spans already linked.
 */
import { normalizeRow } from '../trpc/requestLogSql';
import { assemble } from './assemble';
import { TraceError } from './errors';
import { DEFAULT_LINK_OPTIONS, type LinkOptions } from './link-types';
import { type Asked, nextProbe } from './probe';
import { spanIdOf, type TraceRow } from './row';
import { type BoundQuery, probeQuery, rowByKeyQuery, rowsByTraceIdQuery } from './sql';
import { parseSyntheticTraceId } from './trace-id';
import type { RecordKey, Trace } from './types';

/** What the search needs from the telemetry store (TelemetryStore satisfies it). */
export interface TraceSource {
  query<T = Record<string, unknown>>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
}

export interface SearchOptions extends LinkOptions {
  maxIterations: number;
  maxRows: number;
  maxTermsPerRound: number;
}

export const DEFAULT_SEARCH_OPTIONS: SearchOptions = {
  ...DEFAULT_LINK_OPTIONS,
  maxIterations: 24,
  maxRows: 20_000,
  maxTermsPerRound: 4096,
};

async function fetchRows(src: TraceSource, q: BoundQuery): Promise<TraceRow[]> {
  try {
    const raw = await src.query<Record<string, unknown>>(q.sql, q.params);
    return raw.map((r) => normalizeRow(r) as unknown as TraceRow);
  } catch (cause) {
    throw new TraceError('query_failed', 'trace lookup failed', { cause });
  }
}

/** Assembles the trace holding `entry` (a row key) or the rows of a trace id. */
export async function findTrace(
  src: TraceSource,
  start: { recordKey: RecordKey } | { traceId: string },
  o: SearchOptions = DEFAULT_SEARCH_OPTIONS,
): Promise<Trace> {
  let rows: TraceRow[];
  if ('recordKey' in start) rows = await fetchRows(src, rowByKeyQuery(start.recordKey));
  else {
    const key = parseSyntheticTraceId(start.traceId);
    rows = key
      ? await fetchRows(src, rowByKeyQuery(key))
      : await fetchRows(src, rowsByTraceIdQuery(start.traceId, o.maxRows));
  }
  if (rows.length === 0) throw new TraceError('not_found', 'no request log for that trace');
  const entryRow = pickEntry(rows);
  const seen = new Set(rows.map(spanIdOf));
  const asked: Asked = { keys: new Set() };
  const limits = { crossHostToleranceUs: o.crossHostToleranceUs, maxTermsPerRound: o.maxTermsPerRound };
  let iterations = 0;
  let truncated = false;
  const current = () =>
    assemble(rows, rows.indexOf(entryRow), { iterations, rows: rows.length, truncated }, o);
  // Each round asks for the ids of the spans linked so far that were not asked for yet; the
  // search ends when nothing new can be asked (a round that found nothing still asks for
  // terms an earlier round had to leave out) or a budget runs out. Linking is redone only
  // when a round brought new rows.
  let trace = current();
  while (iterations < o.maxIterations && !truncated) {
    const inTrace = new Set(trace.spans.map((s) => s.spanId));
    const tree = rows.filter((r) => inTrace.has(spanIdOf(r)));
    const rootIds = new Set(trace.spans.filter((s) => !s.parentSpanId).map((s) => s.spanId));
    const roots = new Set(tree.filter((r) => rootIds.has(spanIdOf(r))));
    const probe = nextProbe(tree, roots, asked, limits);
    if (!probe) break;
    iterations++;
    const budget = o.maxRows - rows.length;
    const found = await fetchRows(src, probeQuery(probe, budget + 1));
    if (found.length > budget) truncated = true;
    let added = 0;
    for (const r of found.slice(0, budget)) {
      const id = spanIdOf(r);
      if (seen.has(id)) continue;
      seen.add(id);
      rows.push(r);
      added++;
    }
    if (added > 0 || truncated) trace = current();
  }
  return { ...trace, stats: { iterations, rows: rows.length, truncated } };
}

/** For a trace id, the earliest record, preferring the client side of the first hop. */
function pickEntry(rows: readonly TraceRow[]): TraceRow {
  const rank: Record<string, number> = { 'c-p': 0, c: 1, s: 2, 's-p': 3, app: 4 };
  return [...rows].sort(
    (a, b) =>
      a.start_time - b.start_time || (rank[a.observation_point] ?? 9) - (rank[b.observation_point] ?? 9),
  )[0]!;
}
