'use client';
/**
 * "Share" from any view: a short incident link that freezes the view (absolute time range,
 * filters, selection: everything in its URL) and, on request, a snapshot of the data it shows.
 * In a view opened from such a link it says so instead.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import { freezeParams, SNAPSHOT_PARAM, viewQueries } from '@/lib/snapshot';
import { parseRange } from '@/lib/time-range';
import { useTRPC } from '@/lib/trpc';
import { useUrlParams } from '@/lib/use-url-params';
import styles from './share.module.css';

const EXPIRY = [
  ['never', undefined],
  ['1 day', 86_400],
  ['7 days', 7 * 86_400],
  ['30 days', 30 * 86_400],
] as const;

export function ShareButton() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pathname = usePathname();
  const [params] = useUrlParams();
  const [open, setOpen] = useState(false);
  const [snapshot, setSnapshot] = useState(true);
  const [title, setTitle] = useState('');
  const [expiry, setExpiry] = useState(0);
  const create = useMutation(trpc.links.create.mutationOptions());
  const frozenFrom = params.get(SNAPSHOT_PARAM);

  if (frozenFrom) {
    const live = new URLSearchParams(params);
    live.delete(SNAPSHOT_PARAM);
    return (
      <span
        className={styles.frozen}
        data-testid="frozen-banner"
        title="This view shows data saved with an incident link"
      >
        Snapshot · link {frozenFrom} · <a href={`${pathname}?${live.toString()}`}>same view, live data</a>
      </span>
    );
  }

  const submit = () => {
    const cached = queryClient
      .getQueryCache()
      .findAll({ type: 'active' })
      .map((q) => ({ queryKey: q.queryKey, status: q.state.status, data: q.state.data }));
    const queries = viewQueries(cached);
    create.mutate({
      state: { path: pathname, params: freezeParams(params, parseRange(params), queries, Date.now()) },
      title: title.trim() || undefined,
      expiresInSeconds: EXPIRY[expiry]![1],
      snapshot: snapshot ? queries.slice(0, 50) : undefined,
    });
  };
  const url = create.data ? `${window.location.origin}/s/${create.data.id}` : undefined;

  return (
    <span className={styles.anchor}>
      <button type="button" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="share-button">
        Share
      </button>
      {open && (
        <div className={styles.popover} role="dialog" aria-label="Share this view">
          <label>
            Title
            <input
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              placeholder="e.g. checkout 500s at 14:02"
            />
          </label>
          <label className={styles.row}>
            <input type="checkbox" checked={snapshot} onChange={(e) => setSnapshot(e.target.checked)} />
            Keep a snapshot of the data (survives retention)
          </label>
          <label>
            Expires
            <select value={expiry} onChange={(e) => setExpiry(Number(e.target.value))}>
              {EXPIRY.map(([label], i) => (
                <option key={label} value={i}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={submit} disabled={create.isPending} data-testid="share-create">
            {create.isPending ? 'Creating…' : 'Create link'}
          </button>
          {create.isError && (
            <span className="tone-error" role="alert">
              {create.error.message}
            </span>
          )}
          {url && (
            <div className={styles.result}>
              <input readOnly value={url} data-testid="share-url" onFocus={(e) => e.target.select()} />
              <button type="button" onClick={() => void navigator.clipboard?.writeText(url)}>
                Copy
              </button>
              {create.data && create.data.snapshotFailed.length > 0 && (
                <span className="muted">
                  not kept: {create.data.snapshotFailed.map((f) => f.path).join(', ')}
                </span>
              )}
            </div>
          )}
        </div>
      )}
    </span>
  );
}
