/** Storage worker thread: owns the ClickHouse client (and chDB's blocking calls). */
import { parentPort, workerData } from 'node:worker_threads';
import { Engine, type EngineOptions, type PreparedInsert } from './engine';

export type WorkerRequest =
  | { id: number; op: 'insert'; table: string; batches: readonly unknown[] }
  | { id: number; op: 'query'; sql: string; params?: Record<string, unknown>; queryId?: string }
  /** Stops query `target`; answered by the target's own (cancelled) response, not by itself. */
  | { id: number; op: 'cancel'; target: number }
  | { id: number; op: 'command'; sql: string }
  | { id: number; op: 'close' };

export type WorkerResponse =
  | { id: number; ok: true; result?: unknown }
  | { id: number; ok: false; message: string; code?: string | number };

const port = parentPort!;
let engine: Engine | undefined;
// One ClickHouse operation at a time (chDB is one engine per process); inserts are encoded
// and staged as soon as they arrive, overlapping the previous write.
let chain: Promise<void> = Promise.resolve();

Engine.open(workerData as EngineOptions).then(
  (e) => {
    engine = e;
    port.postMessage({ id: 0, ok: true, result: { mode: e.mode } } satisfies WorkerResponse);
  },
  (err: unknown) => port.postMessage({ id: 0, ok: false, message: errMessage(err) } satisfies WorkerResponse),
);

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// Queries that may still be cancelled: queued (aborted ones never start) or running.
const cancellable = new Map<number, { ctl: AbortController; queryId?: string; running: boolean }>();

function cancel(target: number): void {
  const q = cancellable.get(target);
  if (!q) return;
  q.ctl.abort();
  // Server mode: aborting the HTTP request alone may leave the query running on the server.
  if (q.running && q.queryId) engine?.kill(q.queryId).catch(() => undefined);
}

port.on('message', (req: WorkerRequest) => {
  if (req.op === 'cancel') return cancel(req.target);
  const q =
    req.op === 'query' ? { ctl: new AbortController(), queryId: req.queryId, running: false } : undefined;
  if (q) cancellable.set(req.id, q);
  let prepared: PreparedInsert | undefined;
  if (req.op === 'insert') {
    try {
      prepared = engine!.prepare(req.table, req.batches as never);
    } catch (err) {
      port.postMessage({ id: req.id, ok: false, message: errMessage(err) } satisfies WorkerResponse);
      return;
    }
  }
  chain = chain.then(async () => {
    try {
      const e = engine!;
      let result: unknown;
      if (prepared) result = await e.run(prepared);
      else if (req.op === 'query') {
        if (q!.ctl.signal.aborted) throw new Error('query cancelled before it started');
        q!.running = true;
        result = await e.query(req.sql, req.params, { signal: q!.ctl.signal, queryId: req.queryId });
      } else if (req.op === 'command') await e.command(req.sql);
      else await e.close();
      port.postMessage({ id: req.id, ok: true, result } satisfies WorkerResponse);
    } catch (err) {
      const code = (err as { code?: string | number }).code;
      port.postMessage({ id: req.id, ok: false, message: errMessage(err), code } satisfies WorkerResponse);
    } finally {
      cancellable.delete(req.id);
    }
  });
});
