'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { refreshMs, resolveRange } from '@/lib/time-range';
import { useTRPC } from '@/lib/trpc';
import { useNow } from '@/lib/use-now';
import { useUrlParams } from '@/lib/use-url-params';
import { DetailDrawer } from './DetailDrawer';
import { Filters } from './Filters';
import { RequestTable } from './RequestTable';
import styles from './requests.module.css';
import { summary, toTableRows } from './transform';
import { listInput, PAGE_SIZE, parseView, type RequestsView as View, writeView } from './view-state';

export function RequestsView() {
  const trpc = useTRPC();
  const [params, update] = useUrlParams();
  const view = parseView(params);
  const rangeKey = JSON.stringify(view.range);
  const [now, bump] = useNow(view.refresh, rangeKey);
  const { start, end } = resolveRange(view.range, now);
  const input = listInput(view, start, end);

  const list = useQuery(
    trpc.requestLog.list.queryOptions(input, {
      placeholderData: keepPreviousData,
      // relative ranges refetch through `now`; a fixed range refetches in place
      refetchInterval: view.range.kind === 'absolute' ? refreshMs(view.refresh) : undefined,
    }),
  );
  const rows = useMemo(() => toTableRows(list.data?.rows ?? []), [list.data]);

  const set = (patch: Partial<View>, mode: 'push' | 'replace' = 'push') =>
    update((p) => writeView({ ...view, ...patch }, p), mode);
  const count = list.data?.count ?? 0;
  const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));

  return (
    <div className={styles.view}>
      <Filters
        view={view}
        onChange={(patch, mode) => set({ ...patch, page: 0 }, mode)}
        onRefresh={() => (view.range.kind === 'relative' ? bump() : void list.refetch())}
        refreshing={list.isFetching}
      />
      <div className={styles.status} aria-live="polite">
        {list.isError ? (
          <span className="tone-error" role="alert">
            Could not load requests: {list.error.message}
          </span>
        ) : list.isPending ? (
          <span className="muted">Loading…</span>
        ) : (
          <span data-testid="summary">{summary(count, view.page, PAGE_SIZE, rows.length)}</span>
        )}
        {count > PAGE_SIZE && (
          <span className={styles.pager}>
            <button type="button" disabled={view.page === 0} onClick={() => set({ page: view.page - 1 })}>
              ‹ Newer
            </button>
            <span className="muted">
              page {view.page + 1} / {pages}
            </span>
            <button
              type="button"
              disabled={view.page + 1 >= pages}
              onClick={() => set({ page: view.page + 1 })}
            >
              Older ›
            </button>
          </span>
        )}
      </div>
      <div className={styles.body}>
        <RequestTable
          rows={rows}
          loading={list.isPending}
          selectedId={view.selected ? rows.find((r) => sameKey(r.key, view.selected))?.id : undefined}
          onSelect={(row) => set({ selected: row.key }, 'replace')}
        />
        {view.selected && (
          <DetailDrawer recordKey={view.selected} onClose={() => set({ selected: undefined }, 'replace')} />
        )}
      </div>
    </div>
  );
}

function sameKey(a: View['selected'], b: View['selected']): boolean {
  return !!a && !!b && JSON.stringify(a) === JSON.stringify(b);
}
