/**
 * The query API's one error type: an HTTP status, a stable code and a message for the
 * caller. Query-language errors keep their position and what was expected there.
 */
import { QueryError } from '@zeroscope/query';
import { StorageError } from '../storage/types';

export type QueryApiCode =
  | 'bad_request'
  | 'range_too_large'
  | 'query_lex'
  | 'query_parse'
  | 'query_resolve'
  | 'query_emit'
  | 'query_timeout'
  | 'result_too_large'
  | 'query_cancelled'
  | 'query_failed';

export interface QueryErrorBody {
  error: QueryApiCode;
  message: string;
  position?: number;
  expected?: readonly string[];
}

export class QueryApiError extends Error {
  override readonly name = 'QueryApiError';
  constructor(
    readonly status: number,
    readonly code: QueryApiCode,
    message: string,
    readonly position?: number,
    readonly expected?: readonly string[],
  ) {
    super(message);
  }

  toBody(): QueryErrorBody {
    return {
      error: this.code,
      message: this.message,
      ...(this.position !== undefined ? { position: this.position } : {}),
      ...(this.expected !== undefined ? { expected: this.expected } : {}),
    };
  }
}

// ClickHouse error codes a well-formed query can still hit (src/Common/ErrorCodes.cpp).
const TIMEOUT_EXCEEDED = 159;
const TOO_MANY_ROWS_OR_BYTES = 396;

/** Maps compiler and storage failures to the API error; anything else is an internal error. */
export function toQueryApiError(err: unknown, limits: { maxExecutionSeconds: number }): QueryApiError {
  if (err instanceof QueryApiError) return err;
  if (err instanceof QueryError)
    return new QueryApiError(400, err.code, err.message, err.position, err.expected);
  if (err instanceof StorageError) {
    if (err.code === 'cancelled') return new QueryApiError(499, 'query_cancelled', 'query cancelled');
    if (err.clickhouseCode === TIMEOUT_EXCEEDED)
      return new QueryApiError(
        504,
        'query_timeout',
        `query ran longer than ${limits.maxExecutionSeconds} s; narrow the time range or add filters`,
      );
    if (err.clickhouseCode === TOO_MANY_ROWS_OR_BYTES)
      return new QueryApiError(
        422,
        'result_too_large',
        'result exceeds the size limit; select fewer columns or rows',
      );
  }
  return new QueryApiError(500, 'query_failed', 'query failed in storage');
}
