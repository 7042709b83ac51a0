/** Per-query limits of the query API (POST /v1/query and the tRPC `query` router). */
import { DEFAULT_MAX_ROWS } from '@zeroscope/query';

export interface QueryLimits {
  /** Rows returned at most; a query's LIMIT is clamped to it. */
  maxRows: number;
  /** ClickHouse `max_execution_time`: the engine stops the query itself after this. */
  maxExecutionSeconds: number;
  /** Client-side deadline: stop waiting (and cancel) even if the engine does not stop. */
  timeoutMs: number;
  /** ClickHouse `max_result_bytes` (uncompressed result in memory). */
  maxResultBytes: number;
  /** Widest `end - start` accepted, in seconds. */
  maxRangeSeconds: number;
  /** Longest query text, in characters. */
  maxSqlLength: number;
  /** Largest POST /v1/query body, in bytes. */
  maxBodyBytes: number;
}

export const DEFAULT_LIMITS: QueryLimits = {
  maxRows: DEFAULT_MAX_ROWS,
  maxExecutionSeconds: 30,
  timeoutMs: 35_000,
  maxResultBytes: 64 * 1024 * 1024,
  maxRangeSeconds: 31 * 24 * 3600,
  maxSqlLength: 16 * 1024,
  maxBodyBytes: 64 * 1024,
};

/** SETTINGS clause appended to every compiled SELECT; values are ours, never user text. */
export function settingsClause(l: QueryLimits): string {
  const settings: Record<string, number | string> = {
    max_execution_time: l.maxExecutionSeconds,
    max_result_rows: l.maxRows,
    max_result_bytes: l.maxResultBytes,
    result_overflow_mode: 'throw',
    readonly: 2,
  };
  return `SETTINGS ${Object.entries(settings)
    .map(([k, v]) => `${k} = ${typeof v === 'number' ? v : `'${v}'`}`)
    .join(', ')}`;
}
