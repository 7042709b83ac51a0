/**
 * Group commit for one table: batches from every agent queue up and go to ClickHouse as
 * one INSERT (one part) per flush. Each INSERT has a large fixed cost in chDB (measured
 * ~80 ms+ on 2 cores), so a flush waits for `minRows` or until the oldest batch has waited
 * `lingerMs`. Each submitter's promise settles only after its INSERT returned (durable).
 */
import type { ColumnBatch } from '@zeroscope/wire/codec';
import type { TelemetryStore } from '../storage/types';

interface Queued {
  batch: ColumnBatch;
  at: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

export interface TableWriterOptions {
  /** rows per INSERT at most */
  maxRows: number;
  /** rows that justify an INSERT right away */
  minRows: number;
  /** longest a batch waits for company before it is written */
  lingerMs: number;
  /** INSERTs in flight at once: two lets the next one be encoded while one is written */
  concurrency: number;
}

export class TableWriter {
  private queue: Queued[] = [];
  private queuedRows = 0;
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private idle: (() => void)[] = [];
  inserts = 0;
  rows = 0;

  constructor(
    private readonly store: Pick<TelemetryStore, 'insert'>,
    readonly table: string,
    private readonly opts: TableWriterOptions,
  ) {}

  submit(batch: ColumnBatch): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ batch, at: Date.now(), resolve, reject });
      this.queuedRows += batch.rows;
      this.schedule();
    });
  }

  get pendingRows(): number {
    return this.queuedRows;
  }

  /** Resolves when everything submitted so far has been written or failed. */
  drain(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    if (this.queue.length === 0 || this.running >= this.opts.concurrency) return;
    const wait = this.opts.lingerMs - (Date.now() - this.queue[0]!.at);
    if (this.queuedRows >= this.opts.minRows || wait <= 0 || this.idle.length > 0) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  private flush(): void {
    if (this.running >= this.opts.concurrency || this.queue.length === 0) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const take: Queued[] = [];
    let rows = 0;
    while (
      this.queue.length > 0 &&
      (take.length === 0 || rows + this.queue[0]!.batch.rows <= this.opts.maxRows)
    ) {
      const q = this.queue.shift()!;
      rows += q.batch.rows;
      take.push(q);
    }
    this.queuedRows -= rows;
    this.running++;
    this.store
      .insert(
        this.table,
        take.map((q) => q.batch),
      )
      .then(
        () => {
          this.inserts++;
          this.rows += rows;
          for (const q of take) q.resolve();
        },
        (err: Error) => {
          for (const q of take) q.reject(err);
        },
      )
      .finally(() => {
        this.running--;
        if (this.queue.length > 0) this.schedule();
        else if (this.running === 0) for (const f of this.idle.splice(0)) f();
      });
    this.schedule();
  }
}
