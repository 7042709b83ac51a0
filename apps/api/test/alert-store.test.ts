/**
 * Alerting and link state on both resource stores (SQLite and MariaDB): migration 0002
 * applies, the evaluator lease lets exactly one owner in and hands over on expiry or release,
 * series state round-trips, snapshots of several MB are kept and dropped on revoke, and the
 * audit log records who did what.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lease } from '../src/alerting/lock';
import { loadStates, saveStates } from '../src/alerting/store';
import type { SeriesState } from '../src/alerting/types';
import type { Principal } from '../src/auth/types';
import { createLink, LinkError, openLink, purgeExpired, revokeLink } from '../src/links/service';
import { openResourceStore, type ResourceStore } from '../src/resources/store';
import { type TestBackend, testBackends } from '../src/resources/testing';

const backends = await testBackends();
const who: Principal = { kind: 'user', id: '1', name: 'ana', role: 'editor', scope: 'api' };

describe.each(backends.map((b) => [b.name, b] as [string, TestBackend]))('%s', (_name, backend) => {
  let store: ResourceStore;

  beforeAll(async () => {
    if (backend.unavailable) return;
    store = await openResourceStore(await backend.setup());
  });
  afterAll(async () => {
    await store?.close();
    await backend.teardown();
  });

  it.skipIf(backend.unavailable !== undefined)('applies migration 0002', () => {
    expect(store.migrated).toContain('0002_alerting_links_audit');
  });

  it.skipIf(backend.unavailable !== undefined)('lets one evaluator hold the lease at a time', async () => {
    const a = new Lease(store.db, 'test-lease', 'instance-a', 1000);
    const b = new Lease(store.db, 'test-lease', 'instance-b', 1000);
    const t0 = Date.now();
    const both = await Promise.all([a.acquire(t0), b.acquire(t0)]);
    expect(both.filter(Boolean)).toHaveLength(1);
    const [holder, other] = both[0] ? [a, b] : [b, a];
    expect(await holder.acquire(t0 + 500)).toBe(true); // renews
    expect(await other.acquire(t0 + 600)).toBe(false);
    // the holder stops renewing: once the lease expires the other takes over
    expect(await other.acquire(t0 + 1600)).toBe(true);
    expect(await holder.acquire(t0 + 1700)).toBe(false);
    await other.release();
    expect(await holder.acquire(t0 + 1800)).toBe(true);
  });

  it.skipIf(backend.unavailable !== undefined)('keeps per-series state across instances', async () => {
    const s = (key: string, status: SeriesState['status']): SeriesState => ({
      key,
      labels: { svc: key },
      status,
      since: 1_700_000_000_000,
      value: 0.5,
      noData: false,
      firedAt: status === 'firing' ? 1_700_000_001_000 : undefined,
    });
    const first = new Map([
      ['svc=a', s('svc=a', 'firing')],
      ['svc=b', s('svc=b', 'pending')],
    ]);
    await saveStates(store.db, 42, new Map(), first, Date.now());
    const loaded = await loadStates(store.db, 42);
    expect(loaded.get('svc=a')).toMatchObject({ status: 'firing', firedAt: 1_700_000_001_000, value: 0.5 });
    const second = new Map([['svc=a', { ...s('svc=a', 'firing'), notifiedAt: 1_700_000_002_000 }]]);
    await saveStates(store.db, 42, loaded, second, Date.now());
    const again = await loadStates(store.db, 42);
    expect([...again.keys()]).toEqual(['svc=a']);
    expect(again.get('svc=a')?.notifiedAt).toBe(1_700_000_002_000);
  });

  it.skipIf(backend.unavailable !== undefined)('keeps big snapshots until revoked, and audits', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({
      i,
      resource: `/shop/item/${i}`,
      pad: 'x'.repeat(100),
    }));
    const state = { path: '/requests', params: { from: '100', to: '200' } };
    const link = await createLink(
      store.db,
      who,
      { state, snapshot: [{ path: 'requestLog.list', input: { start: 100, end: 200 } }] },
      async () => ({ rows }),
    );
    expect(link.snapshotEntries).toBe(1);
    const opened = await openLink(store.db, link.id);
    expect(opened.state).toEqual(state);
    expect((opened.snapshot![0]!.data as { rows: unknown[] }).rows).toHaveLength(20_000);

    const expiring = await createLink(store.db, who, { state, expiresInSeconds: 60 }, async () => null);
    await store.db.sharedLink.update({
      where: { id: expiring.id },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    await expect(openLink(store.db, expiring.id)).rejects.toMatchObject({ code: 'gone', message: /expired/ });
    // an expired link's snapshot data is dropped; a live one's is kept
    const old = await createLink(
      store.db,
      who,
      { state, expiresInSeconds: 60, snapshot: [{ path: 'a.b', input: {} }] },
      async () => [1],
    );
    await store.db.sharedLink.update({
      where: { id: old.id },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    expect(await purgeExpired(store.db)).toBe(1);
    expect(await store.db.sharedLinkSnapshot.count({ where: { linkId: link.id } })).toBe(1);

    const mallory: Principal = { ...who, name: 'mallory', id: '9' };
    await expect(revokeLink(store.db, mallory, link.id, false)).rejects.toBeInstanceOf(LinkError);
    await revokeLink(store.db, who, link.id, false);
    await expect(openLink(store.db, link.id)).rejects.toMatchObject({ code: 'gone' });
    expect(await store.db.sharedLinkSnapshot.count({ where: { linkId: link.id } })).toBe(0);

    const audit = await store.db.auditLog.findMany({ orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.actor, a.action, a.target])).toEqual([
      ['user:ana', 'link.create', link.id],
      ['user:ana', 'link.create', expiring.id],
      ['user:ana', 'link.create', old.id],
      ['user:ana', 'link.revoke', link.id],
    ]);
  });
});
