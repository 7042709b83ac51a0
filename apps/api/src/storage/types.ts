/** The telemetry store contract: one ClickHouse client API over embedded chDB or a server. */
import type { ColumnBatch } from '@zeroscope/wire/codec';

export type { ColumnBatch };

/** Per-query options of TelemetryStore.query. */
export interface QueryOptions {
  /**
   * Stops the query. Server mode: the HTTP request is aborted and the query killed by its id.
   * Embedded chDB has no interrupt: a query still queued never starts; a running one stops
   * being waited for and runs on until it ends (bound it with the max_execution_time setting).
   */
  signal?: AbortSignal;
  /** ClickHouse query_id; generated when absent. */
  queryId?: string;
}

export interface TelemetryStore {
  mode: 'embedded' | 'server';
  /**
   * Writes one or more columnar batches (same columns) as one INSERT into `table`
   * ("db.name"). Resolves only once the rows are durably written. The batches' column
   * arrays are transferred to the storage thread: do not read them afterwards.
   */
  insert(table: string, batch: ColumnBatch | readonly ColumnBatch[]): Promise<void>;
  /** SELECT with ClickHouse `{name:Type}` bound parameters; rows as JSON objects. */
  query<T = Record<string, unknown>>(
    sql: string,
    params?: Record<string, unknown>,
    opts?: QueryOptions,
  ): Promise<T[]>;
  command(sql: string): Promise<void>;
  close(): Promise<void>;
}

export type StorageErrorCode =
  | 'open_failed'
  | 'query_failed'
  | 'insert_failed'
  | 'closed'
  | 'bad_batch'
  | 'cancelled';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: { cause?: unknown; clickhouseCode?: number },
  ) {
    super(message, options);
    this.name = 'StorageError';
    this.clickhouseCode = options?.clickhouseCode;
  }
  /** ClickHouse's numeric error code when the engine reported one (e.g. 159 TIMEOUT_EXCEEDED). */
  readonly clickhouseCode: number | undefined;
}
