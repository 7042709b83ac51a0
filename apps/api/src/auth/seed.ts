/**
 * First-start access (PRODUCT.md §3.2): an `admin` user with a generated password and an agent
 * token, printed once; ZEROSCOPE_ADMIN_TOKEN / ZEROSCOPE_AGENT_TOKEN are seeded with their
 * exact values on every start (idempotent: a token already present is left as it is).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../env';
import type { Db } from '../resources/db';
import { hashPassword, newPassword, newSecret, sha256Hex } from './secrets';
import type { Role, Scope } from './types';

export const ADMIN_USERNAME = 'admin';
export const PASSWORD_FILE = 'admin-password.txt';

export type SeedEnv = Pick<Env, 'dataDir' | 'webPort' | 'adminToken' | 'agentToken'>;

/** Stores a token by hash unless present. True when it was created now. */
export async function ensureToken(
  db: Db,
  token: string,
  spec: { name: string; scope: Scope; role: Role },
): Promise<boolean> {
  const tokenHash = sha256Hex(token);
  if (await db.apiToken.findUnique({ where: { tokenHash } })) return false;
  try {
    await db.apiToken.create({ data: { ...spec, tokenHash } });
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') return false; // another process seeded it first
    throw err;
  }
}

export async function seedAccess(db: Db, env: SeedEnv, log: (line: string) => void): Promise<void> {
  const firstStart = (await db.user.count()) === 0;
  const passwordFile = join(env.dataDir, PASSWORD_FILE);

  if (env.adminToken)
    await ensureToken(db, env.adminToken, { name: 'ZEROSCOPE_ADMIN_TOKEN', scope: 'api', role: 'admin' });
  if (env.agentToken)
    await ensureToken(db, env.agentToken, { name: 'ZEROSCOPE_AGENT_TOKEN', scope: 'agent', role: 'viewer' });

  if (!firstStart) {
    log(`zeroscope: admin user exists (first-start password, unless changed: ${passwordFile})`);
    return;
  }

  const password = newPassword();
  try {
    await db.user.create({
      data: { username: ADMIN_USERNAME, passwordHash: await hashPassword(password), role: 'admin' },
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002') return; // a concurrent start created it
    throw err;
  }
  mkdirSync(env.dataDir, { recursive: true });
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });

  let agentLine = 'agent token: the value of ZEROSCOPE_AGENT_TOKEN';
  if (!env.agentToken) {
    const token = newSecret('zsa');
    await ensureToken(db, token, { name: 'agent (first start)', scope: 'agent', role: 'viewer' });
    agentLine = `agent token: ${token}   (shown once; agents: --token ${token})`;
  }
  log('zeroscope: first start, created the admin user');
  log(`  open      http://localhost:${env.webPort}`);
  log(`  username  ${ADMIN_USERNAME}`);
  log(`  password  ${password}   (also in ${passwordFile})`);
  log(`  ${agentLine}`);
  if (env.adminToken) log('  admin API token: the value of ZEROSCOPE_ADMIN_TOKEN');
}
