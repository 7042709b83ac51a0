'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '@/lib/trpc';
import styles from '../alerts/alerts.module.css';

const when = (ms: number | null) => (ms ? new Date(ms).toLocaleString() : '—');

export function LinksTab() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const links = useQuery(trpc.links.list.queryOptions());
  const revoke = useMutation(
    trpc.links.revoke.mutationOptions({
      onSuccess: () => qc.invalidateQueries(trpc.links.list.queryFilter()),
    }),
  );
  return (
    <table className={styles.table} data-testid="links">
      <thead>
        <tr>
          <th>Link</th>
          <th>View</th>
          <th>Created</th>
          <th>Snapshot</th>
          <th>Expires</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {(links.data ?? []).map((l) => (
          <tr key={l.id} className={l.revokedAt ? 'muted' : undefined}>
            <td>
              <a href={`/s/${l.id}`}>/s/{l.id}</a> {l.title}
            </td>
            <td className={styles.mono}>{l.path}</td>
            <td>
              {when(l.createdAt)} <span className="muted">{l.createdBy}</span>
            </td>
            <td>{l.snapshotAt ? 'kept' : 'live data'}</td>
            <td>{l.revokedAt ? `revoked ${when(l.revokedAt)}` : when(l.expiresAt)}</td>
            <td>
              {!l.revokedAt && (
                <button type="button" onClick={() => revoke.mutate({ id: l.id })}>
                  Revoke
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
