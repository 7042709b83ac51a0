/**
 * Access control end to end over real HTTP and a real SQLite resource store: first-start
 * seeding, login, cookie and bearer auth, scope and role checks, token seeding, rate limit.
 */
import { readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Auth, createAuth } from '../src/auth/auth';
import { LoginLimiter } from '../src/auth/rateLimit';
import { registerAuthRoutes } from '../src/auth/routes';
import { Router, sendJson } from '../src/http/router';
import { openResourceStore, type ResourceStore } from '../src/resources/store';
import { testBackends } from '../src/resources/testing';

const ADMIN_TOKEN = 'zsk_test_admin_token_0123456789';
const AGENT_TOKEN = 'zsa_test_agent_token_0123456789';

const backends = await testBackends();
for (const b of backends)
  if (b.unavailable) console.warn(`skipping the ${b.name} auth tests: ${b.unavailable}`);

for (const backend of backends)
  describe.skipIf(backend.unavailable !== undefined)(`auth on ${backend.name}`, { timeout: 30_000 }, () => {
    let dir: string;
    let store: ResourceStore;
    let auth: Auth;
    let server: http.Server;
    let base: string;
    const firstLog: string[] = [];
    const env = () => ({ dataDir: dir, webPort: 3123, adminToken: undefined, agentToken: undefined });

    beforeAll(async () => {
      const where = await backend.setup();
      dir = where.dataDir;
      store = await openResourceStore(where);
      auth = await createAuth(store, env(), {
        log: (l) => firstLog.push(l),
        limiter: new LoginLimiter(3, 60_000),
      });
      const router = new Router();
      registerAuthRoutes(router, { auth });
      router.on(
        'POST',
        '/test/admin-only',
        auth.guard((_q, res) => sendJson(res, 200, { ok: true }), { minRole: 'admin' }),
      );
      router.on(
        'POST',
        '/test/ingest',
        auth.guard((_q, res) => sendJson(res, 200, { ok: true }), { scopes: ['ingest', 'agent'] }),
      );
      server = http.createServer((req, res) => {
        void router.handle(req, res).then((ok) => ok || sendJson(res, 404, { error: 'not_found' }));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }, 60_000);

    afterAll(async () => {
      server?.close();
      await store?.close();
      await backend.teardown();
    });

    const password = () => readFileSync(join(dir, 'admin-password.txt'), 'utf8').trim();
    const call = (
      method: string,
      path: string,
      opts: { body?: unknown; cookie?: string; token?: string } = {},
    ) =>
      fetch(`${base}${path}`, {
        method,
        headers: {
          ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(opts.cookie ? { cookie: opts.cookie } : {}),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
        body:
          opts.body === undefined
            ? undefined
            : typeof opts.body === 'string'
              ? opts.body
              : JSON.stringify(opts.body),
      });
    async function loginCookie(username: string, pw: string): Promise<string> {
      const r = await call('POST', '/auth/login', { body: { username, password: pw } });
      expect(r.status).toBe(200);
      return r.headers.get('set-cookie')!.split(';')[0]!;
    }

    it('prints how to log in on first start and stores the password 0600', async () => {
      const text = firstLog.join('\n');
      expect(text).toContain('http://localhost:3123');
      expect(text).toMatch(/username\s+admin/);
      expect(text).toContain(`password  ${password()}`);
      expect(password()).toMatch(/^[A-Za-z0-9]{20}$/);
      expect(statSync(join(dir, 'admin-password.txt')).mode & 0o777).toBe(0o600);
      const agentToken = /agent token: (zsa_\S+)/.exec(text)?.[1];
      expect(agentToken).toBeDefined();
      expect(await auth.verifyToken(agentToken!)).toMatchObject({ kind: 'token', scope: 'agent' });
      const rows = await store.db.apiToken.findMany();
      expect(rows.every((r) => !r.tokenHash.includes(agentToken!) && r.tokenHash.length === 64)).toBe(true);
    });

    it('does not reseed on later starts, and seeds env tokens idempotently', async () => {
      const before = password();
      const log: string[] = [];
      const seeded = { ...env(), adminToken: ADMIN_TOKEN, agentToken: AGENT_TOKEN };
      await createAuth(store, seeded, { log: (l) => log.push(l) });
      await createAuth(store, seeded, { log: (l) => log.push(l) });
      expect(log.join('\n')).toContain('admin user exists');
      expect(log.join('\n')).not.toContain('password  ');
      expect(password()).toBe(before);
      expect(await store.db.user.count()).toBe(1);
      expect(await store.db.apiToken.count({ where: { name: 'ZEROSCOPE_ADMIN_TOKEN' } })).toBe(1);
      expect(await store.db.apiToken.count({ where: { name: 'ZEROSCOPE_AGENT_TOKEN' } })).toBe(1);
      expect(await auth.verifyToken(ADMIN_TOKEN)).toMatchObject({ scope: 'api', role: 'admin' });
      expect(await auth.verifyToken(AGENT_TOKEN)).toMatchObject({ scope: 'agent' });
      expect(await auth.verifyToken('zsa_not_a_token')).toBeUndefined();
    });

    it('logs in with the printed password and authenticates by cookie until logout', async () => {
      const r = await call('POST', '/auth/login', { body: { username: 'admin', password: password() } });
      expect(r.status).toBe(200);
      expect(((await r.json()) as { user: unknown }).user).toMatchObject({
        username: 'admin',
        role: 'admin',
      });
      const setCookie = r.headers.get('set-cookie')!;
      expect(setCookie).toMatch(/^zs_session=zss_[\w-]+;/);
      expect(setCookie).toContain('HttpOnly');
      expect(setCookie).toContain('SameSite=Lax');
      const cookie = setCookie.split(';')[0]!;

      const me = await call('GET', '/auth/me', { cookie });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { user: unknown; principal: unknown }).user).toMatchObject({
        username: 'admin',
        role: 'admin',
      });
      expect((await call('POST', '/test/admin-only', { cookie })).status).toBe(200);

      const out = await call('POST', '/auth/logout', { cookie });
      expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
      expect((await call('GET', '/auth/me', { cookie })).status).toBe(401);
    });

    it('refuses missing, wrong, malformed and expired credentials', async () => {
      const none = await call('GET', '/auth/me');
      expect(none.status).toBe(401);
      expect(await none.json()).toMatchObject({ error: 'unauthorized' });
      expect(none.headers.get('www-authenticate')).toContain('Bearer');
      expect((await call('GET', '/auth/me', { cookie: 'zs_session=zss_forged' })).status).toBe(401);
      expect((await call('GET', '/auth/me', { token: 'zsk_forged' })).status).toBe(401);
      expect((await call('POST', '/auth/login', { body: 'not json' })).status).toBe(400);
      expect((await call('POST', '/auth/login', { body: { username: 'admin' } })).status).toBe(400);

      const cookie = await loginCookie('admin', password());
      await store.db.session.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
      expect((await call('GET', '/auth/me', { cookie })).status).toBe(401);
    });

    it('authenticates bearer tokens and enforces scopes', async () => {
      const me = await call('GET', '/auth/me', { token: ADMIN_TOKEN });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { user: unknown; principal: unknown }).principal).toMatchObject({
        kind: 'token',
        role: 'admin',
        scope: 'api',
      });
      expect((await call('POST', '/test/admin-only', { token: ADMIN_TOKEN })).status).toBe(200);

      const agentOnApi = await call('GET', '/auth/me', { token: AGENT_TOKEN });
      expect(agentOnApi.status).toBe(403);
      expect(await agentOnApi.json()).toMatchObject({ error: 'forbidden' });
      expect((await call('POST', '/test/ingest', { token: AGENT_TOKEN })).status).toBe(200);
      expect((await call('POST', '/test/ingest', { token: ADMIN_TOKEN })).status).toBe(403);

      const ingest = await auth.createToken({ name: 'telegraf', scope: 'ingest', role: 'viewer' });
      expect(ingest.token).toMatch(/^zsi_/);
      expect((await call('POST', '/test/ingest', { token: ingest.token })).status).toBe(200);
      expect((await call('GET', '/auth/me', { token: ingest.token })).status).toBe(403);
      await auth.revokeToken(ingest.id);
      expect((await call('POST', '/test/ingest', { token: ingest.token })).status).toBe(401);
    });

    it('enforces roles: a viewer cannot do admin things', async () => {
      await auth.createUser('vera', 'viewer-password', 'viewer');
      const cookie = await loginCookie('vera', 'viewer-password');
      expect((await call('GET', '/auth/me', { cookie })).status).toBe(200);
      const denied = await call('POST', '/test/admin-only', { cookie });
      expect(denied.status).toBe(403);
      expect(((await denied.json()) as { message: string }).message).toContain('needs role admin');
      const viewerToken = await auth.createToken({ name: 'ro', scope: 'api', role: 'viewer' });
      expect((await call('POST', '/test/admin-only', { token: viewerToken.token })).status).toBe(403);
      await expect(auth.createUser('vera', 'another-password', 'admin')).rejects.toMatchObject({
        code: 'conflict',
      });
    });

    it('rate-limits failed logins per IP and counts them', async () => {
      const before = auth.stats();
      for (let i = 0; i < 3; i++) {
        const r = await call('POST', '/auth/login', { body: { username: 'admin', password: 'wrong' } });
        expect(r.status).toBe(401);
      }
      const limited = await call('POST', '/auth/login', {
        body: { username: 'admin', password: password() },
      });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      const after = auth.stats();
      expect(after.loginFailures - before.loginFailures).toBe(3);
      expect(after.loginRateLimited - before.loginRateLimited).toBe(1);
      // Another address is not affected, also behind the UI's proxy (X-Forwarded-For from loopback).
      const proxied = await fetch(`${base}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.9' },
        body: JSON.stringify({ username: 'admin', password: password() }),
      });
      expect(proxied.status).toBe(200);
      await expect(auth.login('admin', password(), '192.0.2.7')).resolves.toMatchObject({
        user: { role: 'admin' },
      });
      await expect(auth.login('nobody', 'x', '192.0.2.7')).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
    });
  });
