/** The one error type of the query layer: which stage failed, where, and what it wanted. */
export type QueryStage = 'lex' | 'parse' | 'resolve' | 'emit';

export class QueryError extends Error {
  override readonly name = 'QueryError';
  readonly code: `query_${QueryStage}`;
  constructor(
    readonly stage: QueryStage,
    /** 0-based character offset into the query text. */
    readonly position: number,
    message: string,
    /** What would have been accepted here, when that is a short list. */
    readonly expected: readonly string[] = [],
  ) {
    super(`${message} (at ${position})`);
    this.code = `query_${stage}`;
  }

  toJSON(): { stage: QueryStage; position: number; expected: readonly string[]; message: string } {
    return { stage: this.stage, position: this.position, expected: this.expected, message: this.message };
  }
}

/** Quoted, length-capped rendering of user text for messages. */
export const show = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
