/**
 * A minimal HTTP router: exact paths and `:param` segments, JSON helpers, and one error
 * path so a handler's failure becomes a clear JSON error instead of a crash.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  params: Record<string, string>,
) => Promise<void> | void;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class Router {
  private readonly routes: Route[] = [];

  on(method: string, path: string, handler: Handler): this {
    this.routes.push({ method, parts: path.split('/').filter(Boolean), handler });
    return this;
  }

  /** Every registered route, in registration order (route listings, the role-matrix test). */
  list(): { method: string; path: string; handler: Handler }[] {
    return this.routes.map((r) => ({ method: r.method, path: `/${r.parts.join('/')}`, handler: r.handler }));
  }

  match(method: string, pathname: string): { handler: Handler; params: Record<string, string> } | undefined {
    const segs = pathname.split('/').filter(Boolean);
    for (const r of this.routes) {
      if (r.method !== method && !(r.method === 'GET' && method === 'HEAD')) continue;
      if (r.parts.length !== segs.length && !(r.parts.at(-1) === '*' && segs.length >= r.parts.length - 1))
        continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < r.parts.length && ok; i++) {
        const p = r.parts[i]!;
        if (p === '*') break;
        if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(segs[i]!);
        else ok = p === segs[i];
      }
      if (ok) return { handler: r.handler, params };
    }
    return undefined;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = this.match(req.method ?? 'GET', url.pathname);
    if (!m) return false;
    try {
      await m.handler(req, res, m.params);
    } catch (err) {
      const e =
        err instanceof HttpError ? err : new HttpError(500, 'internal', 'internal error: ' + String(err));
      if (!res.headersSent) sendJson(res, e.status, { error: e.code, message: e.message });
      else res.end();
    }
    return true;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

/** Reads a request body, refusing more than `limit` bytes with 413. */
export async function readBody(req: IncomingMessage, limit = 16 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'body_too_large', `request body exceeds ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
