/**
 * Incident links: short ids for frozen view states, optionally with a snapshot of the API
 * answers the view needs, stored in the resource DB so they outlive ClickHouse retention.
 * Snapshots are taken with viewer rights only: whoever can open the link sees nothing the
 * viewer role could not.
 */
import { randomBytes } from 'node:crypto';
import { actorName, audit } from '../audit/log';
import type { Principal } from '../auth/types';
import type { Db } from '../resources/db';
import { canonicalJson } from './canonical';
import type { FrozenState } from './state';

export class LinkError extends Error {
  constructor(
    readonly code: 'not_found' | 'gone' | 'invalid' | 'forbidden' | 'too_large',
    message: string,
  ) {
    super(message);
    this.name = 'LinkError';
  }
}

const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 12 characters from a 57-letter alphabet: ~70 bits, unguessable. */
export function newLinkId(): string {
  const bytes = randomBytes(24);
  let out = '';
  for (const b of bytes) {
    if (b >= ALPHABET.length * 4) continue; // rejection sampling keeps letters uniform
    out += ALPHABET[b % ALPHABET.length];
    if (out.length === 12) return out;
  }
  return out.length === 12 ? out : newLinkId();
}

export interface SnapshotQuery {
  path: string;
  input: unknown;
}

/** Runs one read procedure as a viewer; supplied by the tRPC layer. */
export type SnapshotRunner = (q: SnapshotQuery) => Promise<unknown>;

export const MAX_SNAPSHOT_QUERIES = 50;
export const MAX_SNAPSHOT_BYTES = 32 * 1024 * 1024;

export interface CreateLinkInput {
  state: FrozenState;
  title?: string;
  expiresInSeconds?: number;
  snapshot?: SnapshotQuery[];
}

export async function createLink(db: Db, who: Principal, input: CreateLinkInput, run: SnapshotRunner) {
  const entries: { path: string; input: string; data: string }[] = [];
  const failed: { path: string; error: string }[] = [];
  if (input.snapshot) {
    if (input.snapshot.length > MAX_SNAPSHOT_QUERIES)
      throw new LinkError('too_large', `a snapshot holds at most ${MAX_SNAPSHOT_QUERIES} queries`);
    let bytes = 0;
    const seen = new Set<string>();
    for (const q of input.snapshot) {
      const key = `${q.path}\n${canonicalJson(q.input)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      try {
        const data = JSON.stringify((await run(q)) ?? null);
        bytes += data.length;
        if (bytes > MAX_SNAPSHOT_BYTES)
          throw new LinkError(
            'too_large',
            `snapshot data exceeds ${MAX_SNAPSHOT_BYTES} bytes; narrow the view`,
          );
        entries.push({ path: q.path, input: canonicalJson(q.input), data });
      } catch (err) {
        if (err instanceof LinkError) throw err;
        failed.push({ path: q.path, error: (err as Error).message });
      }
    }
  }
  const id = newLinkId();
  const now = Date.now();
  await purgeExpired(db, now);
  await db.sharedLink.create({
    data: {
      id,
      state: input.state,
      title: input.title ?? null,
      createdBy: actorName(who),
      expiresAt: input.expiresInSeconds ? new Date(now + input.expiresInSeconds * 1000) : null,
      snapshotAt: input.snapshot ? new Date(now) : null,
    },
  });
  for (const e of entries) await db.sharedLinkSnapshot.create({ data: { linkId: id, ...e } });
  await audit(db, who, 'link.create', id, { path: input.state.path, snapshot: entries.length });
  return { id, snapshotEntries: entries.length, snapshotFailed: failed };
}

/** Drops the snapshot data of links that expired (their rows stay for the list and the audit). */
export async function purgeExpired(db: Db, now = Date.now()): Promise<number> {
  const r = await db.sharedLinkSnapshot.deleteMany({ where: { link: { expiresAt: { lt: new Date(now) } } } });
  return r.count;
}

/** The link as a viewer opens it; revoked and expired links are gone. */
export async function openLink(db: Db, id: string) {
  const row = await db.sharedLink.findUnique({ where: { id }, include: { snapshots: true } });
  if (!row) throw new LinkError('not_found', 'no such link');
  if (row.revokedAt) throw new LinkError('gone', 'this link was revoked');
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now())
    throw new LinkError('gone', 'this link has expired');
  return {
    id: row.id,
    title: row.title,
    state: row.state as FrozenState,
    createdBy: row.createdBy,
    createdAt: row.createdAt.getTime(),
    expiresAt: row.expiresAt?.getTime() ?? null,
    snapshotAt: row.snapshotAt?.getTime() ?? null,
    snapshot: row.snapshotAt
      ? row.snapshots.map((s) => ({ path: s.path, input: s.input, data: JSON.parse(s.data) as unknown }))
      : null,
  };
}

export async function listLinks(db: Db, who: Principal, all: boolean) {
  const rows = await db.sharedLink.findMany({
    where: all ? {} : { createdBy: actorName(who) },
    orderBy: { createdAt: 'desc' },
    take: 500,
  });
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    path: (r.state as FrozenState).path,
    createdBy: r.createdBy,
    createdAt: r.createdAt.getTime(),
    expiresAt: r.expiresAt?.getTime() ?? null,
    snapshotAt: r.snapshotAt?.getTime() ?? null,
    revokedAt: r.revokedAt?.getTime() ?? null,
  }));
}

/** The creator or an admin may revoke; a revoked link keeps its row (audit) but drops its data. */
export async function revokeLink(db: Db, who: Principal, id: string, isAdmin: boolean): Promise<void> {
  const row = await db.sharedLink.findUnique({ where: { id } });
  if (!row) throw new LinkError('not_found', 'no such link');
  if (!isAdmin && row.createdBy !== actorName(who))
    throw new LinkError('forbidden', 'only its creator or an admin may revoke a link');
  await db.sharedLink.update({ where: { id }, data: { revokedAt: new Date() } });
  await db.sharedLinkSnapshot.deleteMany({ where: { linkId: id } });
  await audit(db, who, 'link.revoke', id);
}
