/** The tracing layer's one error type; the tRPC/HTTP edges map `code` to a status. */
export type TraceErrorCode = 'not_found' | 'bad_input' | 'query_failed';

export class TraceError extends Error {
  constructor(
    readonly code: TraceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TraceError';
  }
}
