/**
 * Access control for the API: Bearer tokens (api/agent/ingest scopes) and the UI's session
 * cookie both authenticate; guard() turns missing or insufficient access into 401/403 JSON.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Env } from '../env';
import { type Handler, sendJson } from '../http/router';
import type { ResourceStore } from '../resources/store';
import { setAccess } from './access';
import { bearerToken, readCookie, SESSION_COOKIE } from './cookies';
import { AuthError } from './errors';
import { LoginLimiter } from './rateLimit';
import { atLeast, isRole, isScope } from './roles';
import { hashPassword, newSecret, sha256Hex, verifyPassword } from './secrets';
import { ensureToken, seedAccess } from './seed';
import { createSession, deleteExpiredSessions, deleteSession, SESSION_TTL_MS, sessionUser } from './sessions';
import type { Auth as AuthContract, Principal, Role, Scope } from './types';

export type { Principal, Role, Scope } from './types';

export interface PublicUser {
  id: number;
  username: string;
  role: Role;
}

export interface AuthStats {
  loginSuccesses: number;
  loginFailures: number;
  loginRateLimited: number;
}

/** The contract of auth/types.ts plus what the auth routes, admin screens and tests need. */
export interface Auth extends AuthContract {
  /** Throws AuthError invalid_credentials or rate_limited. */
  login(
    username: string,
    password: string,
    ip: string,
  ): Promise<{ user: PublicUser; cookieValue: string; maxAgeSeconds: number }>;
  /** Ends the session named by the request's cookie, if any. */
  logout(req: IncomingMessage): Promise<void>;
  /** The principal guard() admitted for this request. */
  principalOf(req: IncomingMessage): Principal | undefined;
  createUser(username: string, password: string, role: Role): Promise<PublicUser>;
  /** Returns the raw token once; only its hash is stored. */
  createToken(spec: { name: string; scope: Scope; role: Role }): Promise<{ id: number; token: string }>;
  revokeToken(id: number): Promise<void>;
  stats(): AuthStats;
}

export interface AuthOptions {
  /** where first-start instructions go; stdout by default */
  log?: (line: string) => void;
  limiter?: LoginLimiter;
}

const TOKEN_PREFIX: Record<Scope, string> = { api: 'zsk', read: 'zsr', agent: 'zsa', ingest: 'zsi' };
const LAST_USED_EVERY_MS = 60_000;
// Compared against when the username is unknown, so a miss costs as much as a wrong password.
const DUMMY_HASH = hashPassword('not a password');

export async function createAuth(
  resources: ResourceStore,
  env: Pick<Env, 'dataDir' | 'webPort' | 'adminToken' | 'agentToken'>,
  opts: AuthOptions = {},
): Promise<Auth> {
  const { db } = resources;
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const limiter = opts.limiter ?? new LoginLimiter();
  const admitted = new WeakMap<IncomingMessage, Principal>();
  const stats: AuthStats = { loginSuccesses: 0, loginFailures: 0, loginRateLimited: 0 };

  await seedAccess(db, env, log);
  await deleteExpiredSessions(db);

  async function verifyToken(token: string): Promise<Principal | undefined> {
    if (token.length === 0 || token.length > 512) return undefined;
    const row = await db.apiToken.findUnique({ where: { tokenHash: sha256Hex(token) } });
    if (!row || row.revoked || !isRole(row.role) || !isScope(row.scope)) return undefined;
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_EVERY_MS)
      void db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
    // A read token never acts above viewer, whatever role it was created with.
    const role = row.scope === 'read' ? 'viewer' : row.role;
    return { kind: 'token', id: String(row.id), name: row.name, role, scope: row.scope };
  }

  async function authenticate(req: IncomingMessage): Promise<Principal | undefined> {
    const bearer = bearerToken(req);
    if (bearer !== undefined) return verifyToken(bearer);
    const cookie = readCookie(req, SESSION_COOKIE);
    if (cookie === undefined || cookie.length > 256) return undefined;
    const user = await sessionUser(db, cookie);
    if (!user || !isRole(user.role)) return undefined;
    return { kind: 'user', id: String(user.id), name: user.username, role: user.role, scope: 'api' };
  }

  function guard(handler: Handler, o: { scopes?: Scope[]; minRole?: Role } = {}): Handler {
    const scopes = o.scopes ?? ['api'];
    const minRole = o.minRole ?? 'viewer';
    // Read tokens may use what a viewer with an API token may use.
    const admits = (scope: Scope) =>
      scopes.includes(scope) || (scope === 'read' && scopes.includes('api') && minRole === 'viewer');
    const guarded = async (req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => {
      const principal = await authenticate(req);
      if (!principal) {
        res.setHeader('www-authenticate', 'Bearer realm="zeroscope"');
        return sendJson(res, 401, {
          error: 'unauthorized',
          message: 'sign in or send Authorization: Bearer <token>',
        });
      }
      if (!admits(principal.scope))
        return sendJson(res, 403, {
          error: 'forbidden',
          message: `a ${principal.scope} token cannot use this endpoint (needs ${scopes.join(' or ')})`,
        });
      if (!atLeast(principal.role, minRole))
        return sendJson(res, 403, {
          error: 'forbidden',
          message: `needs role ${minRole}, you are ${principal.role}`,
        });
      admitted.set(req, principal);
      return handler(req, res, params);
    };
    setAccess(guarded, {
      scopes: scopes.includes('api') && minRole === 'viewer' ? [...scopes, 'read'] : scopes,
      minRole,
    });
    return guarded;
  }

  async function login(username: string, password: string, ip: string) {
    const wait = limiter.retryAfter(ip);
    if (wait > 0) {
      stats.loginRateLimited++;
      throw new AuthError('rate_limited', 'too many failed logins; try again later', wait);
    }
    const user = await db.user.findUnique({ where: { username } });
    const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH));
    if (!user || !ok || !isRole(user.role)) {
      stats.loginFailures++;
      limiter.fail(ip);
      throw new AuthError('invalid_credentials', 'wrong username or password');
    }
    limiter.succeed(ip);
    stats.loginSuccesses++;
    const { cookieValue } = await createSession(db, user.id);
    return {
      user: { id: user.id, username: user.username, role: user.role },
      cookieValue,
      maxAgeSeconds: Math.floor(SESSION_TTL_MS / 1000),
    };
  }

  return {
    authenticate,
    verifyToken,
    guard,
    login,
    async logout(req) {
      const cookie = readCookie(req, SESSION_COOKIE);
      if (cookie !== undefined) await deleteSession(db, cookie);
    },
    principalOf: (req) => admitted.get(req),
    async createUser(username, password, role) {
      if (!/^[\w.@-]{1,64}$/.test(username))
        throw new AuthError('invalid', 'username: 1-64 letters, digits, or . _ @ -');
      if (password.length < 8) throw new AuthError('invalid', 'password: at least 8 characters');
      try {
        const u = await db.user.create({
          data: { username, passwordHash: await hashPassword(password), role },
        });
        return { id: u.id, username: u.username, role };
      } catch (err) {
        if ((err as { code?: string }).code === 'P2002')
          throw new AuthError('conflict', `user '${username}' exists`);
        throw err;
      }
    },
    async createToken(spec) {
      const token = newSecret(TOKEN_PREFIX[spec.scope]);
      await ensureToken(db, token, spec);
      const row = await db.apiToken.findUniqueOrThrow({ where: { tokenHash: sha256Hex(token) } });
      return { id: row.id, token };
    },
    async revokeToken(id) {
      const r = await db.apiToken.updateMany({ where: { id }, data: { revoked: true } });
      if (r.count === 0) throw new AuthError('not_found', `no token with id ${id}`);
    },
    stats: () => ({ ...stats }),
  };
}
