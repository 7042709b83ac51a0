/**
 * The access matrix over every tRPC procedure and every HTTP route of the real API (child
 * process), enumerated at run time from GET /v1/admin/routes, so routes added later are
 * checked too. Each is called as nobody, as viewer/editor/admin users (session cookies) and
 * API tokens, and with read, agent and ingest tokens: nothing is reachable without the right
 * role or token scope, and everything the role allows is reachable.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TrpcHttpError, trpc } from './alert-helpers';
import { ADMIN_TOKEN, AGENT_TOKEN, type ApiProcess, freePort, startApi } from './link-helpers';

type Role = 'viewer' | 'editor' | 'admin';
interface Who {
  name: string;
  cookie?: string;
  token?: string;
  /** api for cookies and api tokens */
  scope: 'none' | 'api' | 'read' | 'agent' | 'ingest';
  role: Role;
}
interface Access {
  scopes: string[];
  minRole: Role;
}
interface Routes {
  http: { method: string; path: string; access: Access | null }[];
  trpc: { path: string; type: string; minRole: Role }[];
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };
/** Routes that answer without a principal, on purpose. */
const PUBLIC_HTTP = new Set([
  'GET /healthz',
  'POST /auth/login',
  'POST /auth/logout',
  'GET /trpc/*',
  'POST /trpc/*',
]);

type Outcome = 'unauthorized' | 'forbidden' | 'admitted';

async function mapLimit<T, R>(items: T[], n: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]!);
      }
    }),
  );
  return out;
}

describe('role matrix', () => {
  let dir: string;
  let api: ApiProcess;
  let base: string;
  let port: number;
  const who: Who[] = [];
  let routes: Routes;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zs-roles-'));
    port = await freePort();
    api = await startApi(dir, port);
    base = `http://127.0.0.1:${port}`;
    const admin = { token: ADMIN_TOKEN };
    const login = async (username: string, password: string) => {
      const res = await fetch(`${base}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      expect(res.status).toBe(200);
      return res.headers.get('set-cookie')!.split(';')[0]!;
    };
    for (const role of ['viewer', 'editor'] as const) {
      await trpc(base, admin, 'users.create', 'mutation', {
        username: `${role}1`,
        password: `${role}-password`,
        role,
      });
      who.push({
        name: `${role} user`,
        cookie: await login(`${role}1`, `${role}-password`),
        scope: 'api',
        role,
      });
    }
    const adminPassword = readFileSync(join(dir, 'admin-password.txt'), 'utf8').trim();
    who.push({
      name: 'admin user',
      cookie: await login('admin', adminPassword),
      scope: 'api',
      role: 'admin',
    });
    const token = async (scope: Who['scope'], role: Role) =>
      (
        await trpc<{ token: string }>(base, admin, 'users.createToken', 'mutation', {
          name: `${scope}-${role}`,
          scope,
          role,
        })
      ).token;
    who.push({ name: 'viewer api token', token: await token('api', 'viewer'), scope: 'api', role: 'viewer' });
    who.push({ name: 'editor api token', token: await token('api', 'editor'), scope: 'api', role: 'editor' });
    who.push({ name: 'admin api token', token: ADMIN_TOKEN, scope: 'api', role: 'admin' });
    // a read token never acts above viewer, even when created with role admin
    who.push({ name: 'read token', token: await token('read', 'admin'), scope: 'read', role: 'viewer' });
    who.push({ name: 'agent token', token: AGENT_TOKEN, scope: 'agent', role: 'viewer' });
    who.push({ name: 'ingest token', token: await token('ingest', 'admin'), scope: 'ingest', role: 'admin' });
    who.push({ name: 'nobody', scope: 'none', role: 'viewer' });
    who.push({
      name: 'revoked admin token',
      token: 'zsk_revoked_token_0123456789',
      scope: 'none',
      role: 'viewer',
    });

    const res = await fetch(`${base}/v1/admin/routes`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    routes = (await res.json()) as Routes;
  });

  afterAll(async () => {
    api?.proc.kill('SIGTERM');
    await api?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  function expectedTrpc(p: Routes['trpc'][number], w: Who): Outcome {
    if (w.scope === 'none') return 'unauthorized';
    if (w.scope === 'agent' || w.scope === 'ingest') return 'forbidden';
    if (w.scope === 'read' && p.type !== 'query') return 'forbidden';
    return RANK[w.role] >= RANK[p.minRole] ? 'admitted' : 'forbidden';
  }

  it('lists the procedures of this issue and the routes of the API', () => {
    const paths = routes.trpc.map((p) => p.path);
    for (const p of [
      'alerts.createRule',
      'alerts.preview',
      'links.create',
      'links.open',
      'users.createToken',
      'users.audit',
    ])
      expect(paths).toContain(p);
    expect(routes.trpc.length).toBeGreaterThan(30);
    expect(routes.http.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['GET /healthz', 'POST /v1/query', 'GET /v1/admin/routes']),
    );
  });

  it('every tRPC procedure admits exactly the right roles and scopes', async () => {
    const procs = routes.trpc.filter((p) => p.type === 'query' || p.type === 'mutation');
    const cases = procs.flatMap((p) => who.map((w) => ({ p, w })));
    const wrong: string[] = [];
    await mapLimit(cases, 6, async ({ p, w }) => {
      let got: Outcome = 'admitted';
      try {
        // {} is not valid input for most procedures: access is checked before input, so an
        // admitted caller gets BAD_REQUEST (or an answer), never UNAUTHORIZED/FORBIDDEN
        await trpc(base, { cookie: w.cookie, token: w.token }, p.path, p.type as 'query' | 'mutation', {});
      } catch (err) {
        if (err instanceof TrpcHttpError && err.code === 'UNAUTHORIZED') got = 'unauthorized';
        else if (
          err instanceof TrpcHttpError &&
          err.code === 'FORBIDDEN' &&
          /token|role|sign in/.test(err.message)
        )
          got = 'forbidden';
      }
      const want = expectedTrpc(p, w);
      if (got !== want)
        wrong.push(`${p.path} (${p.type}, ${p.minRole}) as ${w.name}: ${got}, expected ${want}`);
    });
    expect(wrong).toEqual([]);
    expect(cases.length).toBeGreaterThan(300);
  }, 180_000);

  function expectedHttp(a: Access, w: Who): Outcome {
    if (w.scope === 'none') return 'unauthorized';
    if (!a.scopes.includes(w.scope)) return 'forbidden';
    return RANK[w.role] >= RANK[a.minRole] ? 'admitted' : 'forbidden';
  }

  it('every HTTP route is guarded, or public on purpose', async () => {
    const unguarded = routes.http.filter((r) => !r.access).map((r) => `${r.method} ${r.path}`);
    expect(unguarded.filter((r) => !PUBLIC_HTTP.has(r))).toEqual([]);
    const guarded = routes.http.filter((r) => r.access);
    const wrong: string[] = [];
    await mapLimit(
      guarded.flatMap((r) => who.map((w) => ({ r, w }))),
      6,
      async ({ r, w }) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (w.cookie) headers.cookie = w.cookie;
        if (w.token) headers.authorization = `Bearer ${w.token}`;
        const path = r.path.replace(/:[^/]+/g, 'x').replace(/\*$/, 'x');
        let got: Outcome = 'admitted';
        try {
          const res = await fetch(`${base}${path}`, {
            method: r.method,
            headers,
            body: r.method === 'GET' || r.method === 'HEAD' ? undefined : '{}',
            signal: AbortSignal.timeout(15_000),
          });
          await res.arrayBuffer();
          if (res.status === 401) got = 'unauthorized';
          else if (res.status === 403) got = 'forbidden';
        } catch {
          // a slow admitted handler (e.g. a long query); access was granted to get there
        }
        const want = expectedHttp(r.access!, w);
        if (got !== want) wrong.push(`${r.method} ${r.path} as ${w.name}: ${got}, expected ${want}`);
      },
    );
    expect(wrong).toEqual([]);
  }, 180_000);

  it('the agent WebSocket takes agent tokens only', async () => {
    const open = (token?: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(
          `ws://127.0.0.1:${port}/v1/agent`,
          token ? { headers: { authorization: `Bearer ${token}` } } : {},
        );
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.on('open', () => {
          resolve(101);
          ws.close();
        });
        ws.on('error', () => resolve(0));
      });
    expect(await open()).toBe(401);
    expect(await open(ADMIN_TOKEN)).toBe(403);
    expect(await open(who.find((w) => w.scope === 'read')!.token)).toBe(403);
    expect(await open(AGENT_TOKEN)).toBe(101);
  });

  it('a revoked token and a deleted user lose access at once', async () => {
    const admin = { token: ADMIN_TOKEN };
    const t = await trpc<{ id: number; token: string }>(base, admin, 'users.createToken', 'mutation', {
      name: 'short-lived',
      scope: 'api',
      role: 'editor',
    });
    await expect(trpc(base, { token: t.token }, 'alerts.listRules', 'query')).resolves.toBeDefined();
    await trpc(base, admin, 'users.revokeToken', 'mutation', { id: t.id });
    await expect(trpc(base, { token: t.token }, 'alerts.listRules', 'query')).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });

    const users = await trpc<{ id: number; username: string }[]>(base, admin, 'users.list', 'query');
    const viewer = who.find((w) => w.name === 'viewer user')!;
    await trpc(base, admin, 'users.setRole', 'mutation', {
      id: users.find((u) => u.username === 'viewer1')!.id,
      role: 'editor',
    });
    // the session picks up the new role on its next request
    await expect(
      trpc(base, { cookie: viewer.cookie }, 'alerts.createSilence', 'mutation', {}),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await trpc(base, admin, 'users.remove', 'mutation', {
      id: users.find((u) => u.username === 'viewer1')!.id,
    });
    await expect(trpc(base, { cookie: viewer.cookie }, 'alerts.listRules', 'query')).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    // the last admin cannot be demoted
    const adminUser = users.find((u) => u.username === 'admin')!;
    await expect(
      trpc(base, admin, 'users.setRole', 'mutation', { id: adminUser.id, role: 'viewer' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const audit = await trpc<{ action: string; actor: string }[]>(base, admin, 'users.audit', 'query', {});
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['user.create', 'token.create', 'token.revoke', 'user.role.set', 'user.delete']),
    );
    expect(audit.find((a) => a.action === 'user.delete')?.actor).toBe('token:ZEROSCOPE_ADMIN_TOKEN');
  });
});
