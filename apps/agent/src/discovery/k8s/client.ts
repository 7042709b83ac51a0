/**
 * Minimal Kubernetes API client over node:http/https: JSON GETs and watch streams
 * (newline-delimited JSON watch events). No client library: the agent needs only list+watch.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { K8sError, type K8sOptions } from './config';

/** A watch event line longer than this aborts the stream (the informer relists). */
const MAX_LINE = 16 * 1024 * 1024;
/** A list response larger than this is refused (pages are requested with limit=500). */
const MAX_BODY = 64 * 1024 * 1024;

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, unknown>;
}

/** Responses whose connection was dropped by the idle timeout (for the error message). */
const idled = new WeakSet<http.IncomingMessage>();

export class K8sClient {
  private readonly base: URL;
  private readonly agent: http.Agent;

  constructor(private readonly opts: K8sOptions) {
    this.base = new URL(opts.url);
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, ca: opts.ca, maxSockets: 16 })
        : new http.Agent({ keepAlive: true, maxSockets: 16 });
  }

  close(): void {
    this.agent.destroy();
  }

  private token(): string | undefined {
    if (this.opts.tokenFile) {
      try {
        return fs.readFileSync(this.opts.tokenFile, 'utf8').trim();
      } catch {}
    }
    return this.opts.token;
  }

  /** `idleMs`: a connection silent this long is dropped (half-open TCP after a node failure). */
  private open(path: string, signal: AbortSignal, idleMs: number): Promise<http.IncomingMessage> {
    const url = new URL(path, this.base);
    const token = this.token();
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, {
        agent: this.agent,
        signal,
        timeout: idleMs,
        headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
      let res: http.IncomingMessage | undefined;
      req.on('response', (r) => {
        res = r;
        resolve(r);
      });
      req.on('timeout', () => {
        if (res) idled.add(res);
        req.destroy(new Error(`no data for ${idleMs} ms`));
      });
      req.on('error', (e) => reject(new K8sError('network', `${url.pathname}: ${e.message}`)));
      req.end();
    });
  }

  /** GET returning parsed JSON; a non-2xx answer becomes K8sError (code 'gone' for 410). */
  async get(path: string, signal: AbortSignal): Promise<Record<string, unknown>> {
    const res = await this.open(path, signal, this.opts.requestTimeoutMs ?? 60_000);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of res as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > MAX_BODY) {
        res.destroy();
        throw new K8sError('decode', `${path}: response larger than ${MAX_BODY} bytes`);
      }
      chunks.push(c);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (res.statusCode !== 200) throw statusError(path, res.statusCode ?? 0, text);
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new K8sError('decode', `${path}: response is not JSON`);
    }
  }

  /**
   * Streams watch events to `onEvent` until the server ends the watch (resolves) or the
   * connection fails (rejects). Undecodable lines are counted through `onBadLine`.
   */
  async watch(
    path: string,
    signal: AbortSignal,
    onEvent: (e: WatchEvent) => void,
    onBadLine: () => void,
  ): Promise<void> {
    const idle = this.opts.idleTimeoutMs ?? ((this.opts.watchTimeoutSeconds ?? 300) + 30) * 1000;
    const res = await this.open(path, signal, idle);
    if (res.statusCode !== 200) {
      let text = '';
      for await (const c of res as AsyncIterable<Buffer>) if (text.length < 65536) text += c.toString('utf8');
      throw statusError(path, res.statusCode ?? 0, text);
    }
    let pending = '';
    try {
      for await (const c of res as AsyncIterable<Buffer>) {
        pending += c.toString('utf8');
        let nl = pending.indexOf('\n');
        while (nl >= 0) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (line) dispatch(line, onEvent, onBadLine);
          nl = pending.indexOf('\n');
        }
        if (pending.length > MAX_LINE) throw new K8sError('decode', `${path}: watch event line too long`);
      }
    } catch (e) {
      if (e instanceof K8sError) throw e;
      const why = idled.has(res) ? `no data for ${idle} ms` : (e as Error).message;
      throw new K8sError('network', `${path}: watch stream failed: ${why}`);
    }
    if (pending.trim()) dispatch(pending.trim(), onEvent, onBadLine);
  }
}

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

function dispatch(line: string, onEvent: (e: WatchEvent) => void, onBadLine: () => void): void {
  let e: Partial<WatchEvent> | null = null;
  try {
    e = JSON.parse(line) as Partial<WatchEvent> | null;
  } catch {}
  const ok =
    !!e &&
    typeof e.type === 'string' &&
    EVENT_TYPES.has(e.type) &&
    typeof e.object === 'object' &&
    !!e.object;
  if (ok) onEvent(e as WatchEvent);
  else onBadLine();
}

function statusError(path: string, status: number, body: string): K8sError {
  let message = body.slice(0, 200);
  try {
    const s = JSON.parse(body) as { message?: string };
    if (s.message) message = s.message;
  } catch {}
  return new K8sError(status === 410 ? 'gone' : 'http', `${path}: HTTP ${status}: ${message}`, status);
}
