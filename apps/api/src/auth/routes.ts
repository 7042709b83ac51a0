/** POST /auth/login, POST /auth/logout, GET /auth/me (PRODUCT.md §2.9 "Login"). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { ApiContext } from '../context';
import { HttpError, type Router, readBody, sendJson } from '../http/router';
import { clearedSessionCookie, sessionCookie } from './cookies';
import { AuthError } from './errors';

const LoginBody = z.object({
  username: z.string().min(1).max(191),
  password: z.string().min(1).max(1024),
});

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req, 64 * 1024);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad_request', 'body must be JSON');
  }
}

/**
 * The address failed logins are counted against. The UI's Next.js server proxies /auth/* from
 * loopback, so behind it the client is the last X-Forwarded-For hop; only loopback peers are
 * trusted to set that header.
 */
export function clientIp(req: IncomingMessage): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  const loopback = peer === '::1' || peer.startsWith('127.') || peer.startsWith('::ffff:127.');
  const xff = req.headers['x-forwarded-for'];
  if (!loopback || typeof xff !== 'string') return peer;
  return xff.split(',').at(-1)?.trim() || peer;
}

export function registerAuthRoutes(router: Router, ctx: Pick<ApiContext, 'auth'>): void {
  const { auth } = ctx;

  router.on('POST', '/auth/login', async (req: IncomingMessage, res: ServerResponse) => {
    const body = LoginBody.safeParse(await jsonBody(req));
    if (!body.success)
      throw new HttpError(400, 'bad_request', 'expected {"username": string, "password": string}');
    try {
      const r = await auth.login(body.data.username, body.data.password, clientIp(req));
      res.setHeader('set-cookie', sessionCookie(r.cookieValue, r.maxAgeSeconds));
      sendJson(res, 200, { user: r.user });
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      if (err.code === 'rate_limited')
        res.setHeader('retry-after', String(Math.ceil(err.retryAfterMs / 1000)));
      sendJson(res, err.code === 'rate_limited' ? 429 : 401, { error: err.code, message: err.message });
    }
  });

  router.on('POST', '/auth/logout', async (req, res) => {
    await auth.logout(req);
    res.setHeader('set-cookie', clearedSessionCookie());
    sendJson(res, 200, { ok: true });
  });

  router.on(
    'GET',
    '/auth/me',
    auth.guard((req, res) => {
      const p = auth.principalOf(req)!;
      sendJson(res, 200, {
        user: p.kind === 'user' ? { id: Number(p.id), username: p.name, role: p.role } : null,
        principal: p,
      });
    }),
  );
}
