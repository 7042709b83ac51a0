/**
 * Group commit for one table: batches from every agent queue up and go to ClickHouse as
 * one INSERT (one part) per flush. Each INSERT has a large fixed cost in chDB (measured
 * ~80 ms+ on 2 cores), so a flush waits for `minRows` or until the oldest batch has waited
 * `lingerMs`. Each submitter's promise settles only after its INSERT returned (durable).
 * Senders hold a bounded window of unacked rows, so a queue that has stopped growing may be
 * all that comes until its acks go out: once `quietRows` wait and nothing arrived for
 * `quietMs`, they are written without waiting out the linger (measured in bench/ingest: the
 * agent's 200k-row window stalled ~0.5 s per INSERT on the linger before).
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
  /** rows that are written once arrivals pause for `quietMs` (default: minRows / 8) */
  quietRows?: number;
  /** a pause in arrivals this long means the senders wait for acks (default 15 ms) */
  quietMs?: number;
}

export class TableWriter {
  private queue: Queued[] = [];
  private queuedRows = 0;
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private quietTimer: NodeJS.Timeout | undefined;
  private lastArrival = 0;
  private readonly quietRows: number;
  private readonly quietMs: number;
  private idle: (() => void)[] = [];
  inserts = 0;
  rows = 0;

  constructor(
    private readonly store: Pick<TelemetryStore, 'insert'>,
    readonly table: string,
    private readonly opts: TableWriterOptions,
  ) {
    this.quietRows = opts.quietRows ?? Math.max(1, Math.floor(opts.minRows / 8));
    this.quietMs = opts.quietMs ?? 15;
  }

  submit(batch: ColumnBatch): Promise<void> {
    return new Promise((resolve, reject) => {
      const now = Date.now();
      this.queue.push({ batch, at: now, resolve, reject });
      this.queuedRows += batch.rows;
      this.lastArrival = now;
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
    if (this.queuedRows >= this.quietRows) this.quietTimer ??= setTimeout(() => this.onQuiet(), this.quietMs);
  }

  private onQuiet(): void {
    this.quietTimer = undefined;
    if (this.queuedRows < this.quietRows) return;
    const since = Date.now() - this.lastArrival;
    if (since >= this.quietMs) {
      if (this.running === 0) this.flush();
    } else this.quietTimer = setTimeout(() => this.onQuiet(), this.quietMs - since);
  }

  private flush(): void {
    if (this.running >= this.opts.concurrency || this.queue.length === 0) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    clearTimeout(this.quietTimer);
    this.quietTimer = undefined;
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
        if (this.queue.length > 0) {
          this.schedule();
          if (
            this.running === 0 &&
            this.queuedRows >= this.quietRows &&
            Date.now() - this.lastArrival >= this.quietMs
          )
            this.flush();
        } else if (this.running === 0) for (const f of this.idle.splice(0)) f();
      });
    this.schedule();
  }
}
