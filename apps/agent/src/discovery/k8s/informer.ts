/**
 * List-then-watch of one resource collection, keeping a projected copy of each object.
 * The protocol (Kubernetes API concepts, "Efficient detection of changes"):
 *   list (paged with limit/continue) -> resourceVersion R
 *   watch from R with bookmarks; every event (and BOOKMARK) advances R
 *   server ends the watch (timeoutSeconds) -> watch again from R
 *   410 Gone (HTTP status or an ERROR event with code 410) -> R expired: relist
 *   connection errors -> back off (exponential, jittered) and watch again from R
 */
import type { K8sClient, WatchEvent } from './client';
import { K8sError } from './config';

export interface InformerSpec<T> {
  /** collection path, e.g. /api/v1/pods or /apis/apps/v1/replicasets */
  path: string;
  fieldSelector?: string;
  /** keeps only what the report needs; undefined skips the object */
  project: (obj: Record<string, unknown>) => T | undefined;
}

export interface InformerOptions {
  minBackoffMs: number;
  maxBackoffMs: number;
  watchTimeoutSeconds: number;
  maxObjects: number;
  pageSize?: number;
  onChange: () => void;
  log?: (line: string) => void;
}

export interface InformerStats {
  lists: number;
  watches: number;
  events: number;
  relists410: number;
  errors: number;
  badLines: number;
  dropped: number;
  lastError: string | undefined;
}

type Meta = { uid?: string; resourceVersion?: string; namespace?: string; name?: string };
const metaOf = (o: Record<string, unknown>): Meta => (o.metadata ?? {}) as Meta;
const keyOf = (o: Record<string, unknown>): string => {
  const m = metaOf(o);
  return m.uid || `${m.namespace ?? ''}/${m.name ?? ''}`;
};

export class Informer<T> {
  readonly stats: InformerStats = {
    lists: 0,
    watches: 0,
    events: 0,
    relists410: 0,
    errors: 0,
    badLines: 0,
    dropped: 0,
    lastError: undefined,
  };
  /** true once the first list completed */
  synced = false;
  private store = new Map<string, T>();
  private rv = '';
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    private readonly client: K8sClient,
    readonly spec: InformerSpec<T>,
    private readonly opts: InformerOptions,
  ) {}

  items(): IterableIterator<T> {
    return this.store.values();
  }

  get resourceVersion(): string {
    return this.rv;
  }

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private query(extra: Record<string, string>): string {
    const q = new URLSearchParams(extra);
    if (this.spec.fieldSelector) q.set('fieldSelector', this.spec.fieldSelector);
    return `${this.spec.path}?${q.toString()}`;
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    let backoff = this.opts.minBackoffMs;
    while (!signal.aborted) {
      try {
        if (!this.rv) await this.list(signal);
        const started = Date.now();
        await this.watchOnce(signal);
        // A server that keeps ending watches at once must not spin the loop.
        if (Date.now() - started < 1000) {
          await sleep(backoff, signal);
          backoff = Math.min(backoff * 2, this.opts.maxBackoffMs);
        } else backoff = this.opts.minBackoffMs;
      } catch (e) {
        if (signal.aborted) break;
        const err = e instanceof K8sError ? e : new K8sError('network', (e as Error).message);
        if (err.code === 'gone') {
          this.stats.relists410++;
          this.rv = '';
          continue;
        }
        this.stats.errors++;
        this.stats.lastError = err.message;
        this.opts.log?.(`k8s ${this.spec.path}: ${err.message}; retrying in ${backoff} ms`);
        await sleep(backoff * (0.5 + Math.random() / 2), signal);
        backoff = Math.min(backoff * 2, this.opts.maxBackoffMs);
        // A failed list leaves rv empty, so the next round lists again.
      }
    }
  }

  private async list(signal: AbortSignal): Promise<void> {
    const next = new Map<string, T>();
    let cont = '';
    let rv = '';
    do {
      const page = await this.client.get(
        this.query({ limit: String(this.opts.pageSize ?? 500), ...(cont ? { continue: cont } : {}) }),
        signal,
      );
      const items = Array.isArray(page.items) ? (page.items as Record<string, unknown>[]) : [];
      for (const o of items) this.put(next, o);
      const meta = (page.metadata ?? {}) as { resourceVersion?: string; continue?: string };
      rv = meta.resourceVersion ?? '';
      cont = meta.continue ?? '';
    } while (cont && !signal.aborted);
    this.stats.lists++;
    this.store = next;
    this.rv = rv;
    this.synced = true;
    this.opts.onChange();
  }

  private put(into: Map<string, T>, o: Record<string, unknown>): void {
    const key = keyOf(o);
    if (!into.has(key) && into.size >= this.opts.maxObjects) {
      this.stats.dropped++;
      return;
    }
    const v = this.spec.project(o);
    if (v === undefined) into.delete(key);
    else into.set(key, v);
  }

  private async watchOnce(signal: AbortSignal): Promise<void> {
    this.stats.watches++;
    const path = this.query({
      watch: '1',
      resourceVersion: this.rv,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(this.opts.watchTimeoutSeconds),
    });
    await this.client.watch(
      path,
      signal,
      (e) => this.onEvent(e),
      () => this.stats.badLines++,
    );
  }

  /** Applies one event; an ERROR event throws (410 Gone as code 'gone', which relists). */
  private onEvent(e: WatchEvent): void {
    this.stats.events++;
    if (e.type === 'ERROR') {
      const status = e.object as { code?: number; message?: string };
      const msg = `${this.spec.path}: watch error ${status.code}: ${status.message ?? ''}`;
      throw new K8sError(status.code === 410 ? 'gone' : 'http', msg, status.code);
    }
    const rv = metaOf(e.object).resourceVersion;
    if (rv) this.rv = rv;
    if (e.type === 'BOOKMARK') return;
    if (e.type === 'DELETED') this.store.delete(keyOf(e.object));
    else this.put(this.store, e.object);
    this.opts.onChange();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
