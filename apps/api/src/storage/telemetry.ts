/**
 * openTelemetryStore: the API's ClickHouse. Embedded chDB under `${dataDir}/chdb` unless
 * ZEROSCOPE_CLICKHOUSE_URL is set. All ClickHouse work runs in a worker thread so chDB's
 * blocking calls never stall the event loop that serves agents and the UI.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { ColumnBatch } from '@zeroscope/wire/codec';
import type { Env } from '../env';
import { migrateTelemetry } from './migrate';
import { type QueryOptions, StorageError, type TelemetryStore } from './types';
import type { WorkerRequest, WorkerResponse } from './worker';

export type { TelemetryStore } from './types';
export { type QueryOptions, StorageError } from './types';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; code: StorageError['code'] };

type Req = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

function spawnWorker(env: Pick<Env, 'dataDir' | 'clickhouseUrl'>): Worker {
  // chDB's native addon segfaults when a worker that loaded it is torn down unless the main
  // thread holds the library too (measured: exit code 139 without this line, 0 with it).
  if (!env.clickhouseUrl) createRequire(import.meta.url)('chdb');
  const url = new URL('./worker-entry.mjs', import.meta.url);
  return new Worker(url, { workerData: { dataDir: env.dataDir, clickhouseUrl: env.clickhouseUrl } });
}

/**
 * The typed arrays of batches handed to insert are moved to the worker when they own their
 * buffer (copied otherwise): a caller must not read a batch's column data after insert (its
 * row count stays valid).
 */
function transferables(batches: readonly ColumnBatch[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  // Only buffers a view covers whole: a decoded batch may view a slice of the WebSocket's
  // read buffer, whose other bytes (the next frames) the socket still has to read.
  const add = (...views: ArrayBufferView[]) => {
    for (const a of views) {
      const b = a.buffer;
      if (b instanceof ArrayBuffer && b.byteLength > 0 && a.byteOffset === 0 && a.byteLength === b.byteLength)
        out.add(b);
    }
  };
  for (const b of batches)
    for (const d of b.data) {
      if (d.kind === 'num') add(d.values);
      else if (d.kind === 'str') add(d.vec.data, d.vec.offsets);
      else if (d.kind === 'dict') add(d.dict.data, d.dict.offsets, d.codes);
      else if (d.kind === 'ip') add(d.data);
      else if (d.kind === 'list') add(d.rowOffsets, d.items.data, d.items.offsets);
    }
  return [...out];
}

/** The user and password of a server URL (`http://user:pass@host:8123`); default: `default`. */
export function serverLogin(url: string): { user: string; password: string } {
  const u = new URL(url);
  return { user: decodeURIComponent(u.username) || 'default', password: decodeURIComponent(u.password) };
}

export async function openTelemetryStore(
  env: Pick<Env, 'dataDir' | 'clickhouseUrl' | 'clickhouseCluster'>,
  opts: { migrate?: boolean } = {},
): Promise<TelemetryStore> {
  const worker = spawnWorker(env);
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let closed = false;
  let failure: Error | undefined;

  const ready = new Promise<'embedded' | 'server'>((resolve, reject) => {
    pending.set(0, {
      resolve: (v) => resolve((v as { mode: 'embedded' | 'server' }).mode),
      reject,
      code: 'open_failed',
    });
  });
  worker.on('message', (res: WorkerResponse) => {
    const p = pending.get(res.id);
    if (!p) return;
    pending.delete(res.id);
    if (res.ok) p.resolve(res.result);
    else {
      const clickhouseCode = Number(res.code);
      p.reject(
        new StorageError(p.code, res.message, Number.isInteger(clickhouseCode) ? { clickhouseCode } : {}),
      );
    }
  });
  const failAll = (err: Error) => {
    failure = err;
    for (const p of pending.values()) p.reject(new StorageError(p.code, err.message, { cause: err }));
    pending.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', (code) => {
    if (!closed) failAll(new StorageError('closed', `storage worker exited with code ${code}`));
  });

  const call = (
    req: Req,
    code: StorageError['code'],
    transfer: ArrayBuffer[] = [],
    signal?: AbortSignal,
  ): Promise<unknown> => {
    if (closed) return Promise.reject(new StorageError('closed', 'telemetry store is closed'));
    if (failure) return Promise.reject(new StorageError(code, failure.message));
    if (signal?.aborted) return Promise.reject(new StorageError('cancelled', 'query cancelled'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        if (!pending.delete(id)) return;
        worker.postMessage({ op: 'cancel', id: nextId++, target: id } satisfies WorkerRequest);
        reject(new StorageError('cancelled', 'query cancelled'));
      };
      const done = () => signal?.removeEventListener('abort', onAbort);
      pending.set(id, {
        resolve: (v) => {
          done();
          resolve(v);
        },
        reject: (e) => {
          done();
          reject(e);
        },
        code,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.postMessage({ ...req, id }, transfer);
    });
  };

  let mode: 'embedded' | 'server';
  try {
    mode = await ready;
  } catch (err) {
    await worker.terminate();
    throw new StorageError('open_failed', `cannot open ClickHouse: ${(err as Error).message}`, {
      cause: err,
    });
  }

  const store: TelemetryStore = {
    mode,
    async insert(table: string, batch: ColumnBatch | readonly ColumnBatch[]) {
      const batches = Array.isArray(batch) ? (batch as readonly ColumnBatch[]) : [batch as ColumnBatch];
      await call({ op: 'insert', table, batches }, 'insert_failed', transferables(batches));
    },
    async query<T>(sql: string, params?: Record<string, unknown>, opts: QueryOptions = {}) {
      const req: Req = { op: 'query', sql, params, queryId: opts.queryId ?? randomUUID() };
      return (await call(req, 'query_failed', [], opts.signal)) as T[];
    },
    async command(sql: string) {
      await call({ op: 'command', sql }, 'query_failed');
    },
    async close() {
      if (closed) return;
      await call({ op: 'close' }, 'closed').catch(() => undefined);
      closed = true;
      await worker.terminate();
    },
  };
  if (opts.migrate !== false) {
    try {
      if (env.clickhouseCluster && !env.clickhouseUrl)
        throw new Error(
          'ZEROSCOPE_CLICKHOUSE_CLUSTER needs ZEROSCOPE_CLICKHOUSE_URL (a server of the cluster)',
        );
      await migrateTelemetry(store, undefined, {
        cluster: env.clickhouseCluster,
        credentials: env.clickhouseUrl ? serverLogin(env.clickhouseUrl) : undefined,
      });
    } catch (err) {
      await store.close();
      throw new StorageError('open_failed', `ClickHouse migrations failed: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  return store;
}
