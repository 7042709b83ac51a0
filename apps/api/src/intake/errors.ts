/** The intake layer's one error type: a 4xx/5xx with a code, answered as JSON and counted. */
export type IntakeErrorCode =
  | 'body_too_large'
  | 'bad_encoding'
  | 'unsupported_media_type'
  | 'bad_payload'
  | 'series_limit'
  | 'sample_limit'
  | 'storage_failed';

const STATUS: Record<IntakeErrorCode, number> = {
  body_too_large: 413,
  bad_encoding: 400,
  unsupported_media_type: 415,
  bad_payload: 400,
  series_limit: 429,
  sample_limit: 422,
  storage_failed: 503,
};

export class IntakeError extends Error {
  readonly status: number;
  constructor(
    readonly code: IntakeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IntakeError';
    this.status = STATUS[code];
  }
}
