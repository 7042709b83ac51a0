/** Access control's one error type (STYLE.md rule 6); routes map it to HTTP statuses. */
export type AuthErrorCode = 'invalid_credentials' | 'rate_limited' | 'invalid' | 'conflict' | 'not_found';

export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    /** for rate_limited: milliseconds until the next attempt is allowed */
    readonly retryAfterMs = 0,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}
