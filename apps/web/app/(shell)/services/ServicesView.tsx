'use client';
/** Services: the list with RED (service.list), or one service's dashboard (ServiceDetail). */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { QueryState } from '@/components/QueryState';
import { onRowKey } from '@/components/rowKeys';
import t from '@/components/table.module.css';
import { formatDuration, formatPercent, formatRate } from '@/lib/format';
import { refreshMs, resolveRange } from '@/lib/time-range';
import { useTRPC } from '@/lib/trpc';
import { useNow } from '@/lib/use-now';
import { useUrlParams } from '@/lib/use-url-params';
import { ServiceDetail } from './ServiceDetail';
import { serviceRows } from './transform';
import { parseServicesView, type ServicesView as View, writeServicesView } from './view-state';

export const TONE = { ok: 'tone-ok', warn: 'tone-warn', error: 'tone-error', idle: 'tone-muted' } as const;

export function ServicesView() {
  const trpc = useTRPC();
  const [params, update] = useUrlParams();
  const view = parseServicesView(params);
  const [now] = useNow(view.refresh, JSON.stringify(view.range));
  const { start, end } = resolveRange(view.range, now);
  const refetchInterval = view.range.kind === 'absolute' ? refreshMs(view.refresh) : undefined;
  const set = (patch: Partial<View>, mode: 'push' | 'replace' = 'push') =>
    update((p) => writeServicesView({ ...parseServicesView(p), ...patch }, p), mode);

  const list = useQuery(
    trpc.service.list.queryOptions(
      { start, end },
      { placeholderData: keepPreviousData, refetchInterval, enabled: view.service === undefined },
    ),
  );
  const rows = useMemo(() => {
    const needle = view.search.trim().toLowerCase();
    const all = list.data ? serviceRows(list.data.services, list.data.seconds) : [];
    return all.filter((r) => !needle || r.name.toLowerCase().includes(needle));
  }, [list.data, view.search]);

  if (view.service !== undefined)
    return (
      <ServiceDetail
        view={view}
        start={start}
        end={end}
        refetchInterval={refetchInterval}
        onChange={set}
        carry={params}
      />
    );

  return (
    <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
      <div className={t.toolbar}>
        <strong>Services</strong>
        <input
          type="search"
          aria-label="Filter services"
          placeholder="Filter services…  (/)"
          data-search
          value={view.search}
          onChange={(e) => set({ search: e.target.value }, 'replace')}
        />
        <span className="muted" data-testid="service-count">
          {list.data ? `${rows.length} services` : ''}
        </span>
      </div>
      <div className={t.wrap}>
        <QueryState
          what="services"
          pending={list.isPending}
          error={list.error}
          empty={!!list.data && rows.length === 0}
          emptyText={
            list.data?.services.length
              ? 'No service matches the filter.'
              : 'No service served requests in this time range.'
          }
          onRetry={() => void list.refetch()}
        >
          <table className={t.table} aria-label="Services">
            <thead>
              <tr>
                <th>Service</th>
                <th className={t.num}>Requests</th>
                <th className={t.num}>Rate</th>
                <th className={t.num}>Errors</th>
                <th className={t.num}>p99</th>
                <th className={t.num}>Average</th>
                <th className={t.num}>Calls out</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const open = () => set({ service: r.name, search: '' });
                return (
                  <tr
                    key={r.name}
                    tabIndex={0}
                    data-testid="service-row"
                    onClick={open}
                    onKeyDown={(e) => onRowKey(e, open)}
                  >
                    <td>
                      <span className={TONE[r.health]}>●</span> {r.name || '(unknown)'}
                    </td>
                    <td className={t.num}>{r.requests.toLocaleString('en-US')}</td>
                    <td className={t.num}>{formatRate(r.rate)}</td>
                    <td className={`${t.num} ${r.errorRate >= 0.05 ? 'tone-error' : ''}`}>
                      {formatPercent(r.errorRate)}
                    </td>
                    <td className={t.num}>{formatDuration(r.p99)}</td>
                    <td className={t.num}>{formatDuration(r.avg)}</td>
                    <td className={`${t.num} muted`}>{r.outRate > 0 ? formatRate(r.outRate) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </QueryState>
      </div>
    </div>
  );
}
