/** The resource store's one error type (STYLE.md rule 6). */
export type ResourceErrorCode = 'bad_url' | 'connect_failed' | 'migration_failed' | 'not_found' | 'invalid';

export class ResourceError extends Error {
  constructor(
    readonly code: ResourceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ResourceError';
  }
}
