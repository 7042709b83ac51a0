/** Cookie sessions: the cookie holds a random secret, the table only its sha256. */
import type { Db } from '../resources/db';
import { newSecret, sha256Hex } from './secrets';

export const SESSION_TTL_MS = 7 * 24 * 3600_000;

export async function createSession(
  db: Db,
  userId: number,
): Promise<{ cookieValue: string; expiresAt: Date }> {
  const cookieValue = newSecret('zss', 32);
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.session.create({ data: { id: sha256Hex(cookieValue), userId, expiresAt } });
  return { cookieValue, expiresAt };
}

/** The live session's user, or undefined for unknown or expired cookies. */
export async function sessionUser(db: Db, cookieValue: string) {
  const s = await db.session.findUnique({ where: { id: sha256Hex(cookieValue) }, include: { user: true } });
  if (!s || s.expiresAt.getTime() <= Date.now()) return undefined;
  return s.user;
}

export async function deleteSession(db: Db, cookieValue: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sha256Hex(cookieValue) } });
}

export async function deleteExpiredSessions(db: Db): Promise<number> {
  const r = await db.session.deleteMany({ where: { expiresAt: { lte: new Date() } } });
  return r.count;
}
