'use client';
/**
 * /s/<id>: opens an incident link. The frozen view is the view's own page with the stored URL
 * parameters plus `snap=<id>`, which makes the tRPC client answer from the link's snapshot.
 */
import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { SNAPSHOT_PARAM } from '@/lib/snapshot';
import { useTRPC } from '@/lib/trpc';

export function OpenLink({ id }: { id: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const link = useQuery(trpc.links.open.queryOptions({ id }, { retry: false }));

  useEffect(() => {
    if (!link.data) return;
    const qs = new URLSearchParams(link.data.state.params);
    if (link.data.snapshot) qs.set(SNAPSHOT_PARAM, id);
    router.replace(`${link.data.state.path}?${qs.toString()}`);
  }, [link.data, id, router]);

  return (
    <main style={{ padding: 32 }}>
      {link.isError ? (
        <p className="tone-error" role="alert" data-testid="link-error">
          {link.error.message}
        </p>
      ) : (
        <p className="muted">Opening shared view…</p>
      )}
    </main>
  );
}
