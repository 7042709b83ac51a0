'use client';
/**
 * A tRPC link that answers a frozen view's queries from its incident link's snapshot when the
 * URL carries `snap=<id>`, so the view renders data that may have left ClickHouse long ago.
 * Links without a snapshot fall through to the live API (the frozen range still applies).
 */
import { TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { AppRouter } from './api-types';
import { findInSnapshot, SNAPSHOT_PARAM, type SnapshotEntry } from './snapshot';

const loaded = new Map<string, Promise<SnapshotEntry[] | null>>();

function snapshotId(): string | undefined {
  if (typeof window === 'undefined') return undefined;
  const id = new URLSearchParams(window.location.search).get(SNAPSHOT_PARAM);
  return id && /^[A-Za-z0-9]{6,32}$/.test(id) ? id : undefined;
}

async function fetchSnapshot(id: string): Promise<SnapshotEntry[] | null> {
  const res = await fetch(`/trpc/links.open?input=${encodeURIComponent(JSON.stringify({ id }))}`);
  const body = (await res.json()) as {
    result?: { data: { snapshot: SnapshotEntry[] | null } };
    error?: { message: string };
  };
  if (!body.result) throw new Error(body.error?.message ?? `link ${id} could not be opened`);
  return body.result.data.snapshot;
}

export function loadSnapshot(id: string): Promise<SnapshotEntry[] | null> {
  let p = loaded.get(id);
  if (!p) {
    p = fetchSnapshot(id);
    p.catch(() => loaded.delete(id));
    loaded.set(id, p);
  }
  return p;
}

export function snapshotLink(): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        const id = snapshotId();
        if (!id || op.type !== 'query' || op.path.startsWith('links.') || op.path.startsWith('users.'))
          return next(op).subscribe(observer);
        let live: { unsubscribe(): void } | undefined;
        let done = false;
        loadSnapshot(id).then(
          (entries) => {
            if (done) return;
            if (entries === null) {
              live = next(op).subscribe(observer);
              return;
            }
            const hit = findInSnapshot(entries, op.path, op.input);
            if (!hit) {
              observer.error(
                TRPCClientError.from(new Error('this view changed: its data is not in the link snapshot')),
              );
              return;
            }
            observer.next({ result: { type: 'data', data: hit.data } } as never);
            observer.complete();
          },
          (err: unknown) =>
            observer.error(TRPCClientError.from(err instanceof Error ? err : new Error(String(err)))),
        );
        return () => {
          done = true;
          live?.unsubscribe();
        };
      });
}
