/** Validation of a query request `{sql, start, end}` (PRODUCT.md §3.3), shared by HTTP and tRPC. */
import { QueryApiError } from './errors';
import type { QueryLimits } from './limits';

export interface QueryInput {
  /** Zeroscope query language text. */
  sql: string;
  /** Range start, seconds since the epoch (inclusive). */
  start: number;
  /** Range end, seconds since the epoch (exclusive). */
  end: number;
}

const bad = (message: string) => new QueryApiError(400, 'bad_request', message);

function seconds(body: Record<string, unknown>, key: 'start' | 'end'): number {
  const v = body[key];
  if (v === undefined || v === null) throw bad(`missing "${key}" (seconds since the epoch)`);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1e11)
    throw bad(`"${key}" must be a number of seconds since the epoch`);
  return v;
}

export function checkQueryInput(body: unknown, limits: QueryLimits): QueryInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw bad('body must be a JSON object {"sql": string, "start": seconds, "end": seconds}');
  const b = body as Record<string, unknown>;
  if (typeof b.sql !== 'string' || b.sql.trim() === '') throw bad('missing "sql" (the query text)');
  if (b.sql.length > limits.maxSqlLength) throw bad(`"sql" is longer than ${limits.maxSqlLength} characters`);
  const start = seconds(b, 'start');
  const end = seconds(b, 'end');
  if (start > end) throw bad('"start" must not be after "end"');
  if (end - start > limits.maxRangeSeconds)
    throw new QueryApiError(
      400,
      'range_too_large',
      `time range is ${end - start} s; at most ${limits.maxRangeSeconds} s per query`,
    );
  return { sql: b.sql, start, end };
}
