'use client';
/**
 * Network: L4 metrics per client -> server edge (network.edges), and for the selected edge
 * its metrics over time (network.edge) and its flow logs (network.flows).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { QueryState } from '@/components/QueryState';
import { onRowKey } from '@/components/rowKeys';
import t from '@/components/table.module.css';
import { formatBytes, formatDuration, formatPercent } from '@/lib/format';
import { refreshMs, resolveRange } from '@/lib/time-range';
import { useTRPC } from '@/lib/trpc';
import { useNow } from '@/lib/use-now';
import { useUrlParams } from '@/lib/use-url-params';
import { GroupPicker } from '../GroupPicker';
import { EdgeDetail } from './EdgeDetail';
import { FlowTable } from './FlowTable';
import { edgeRows, selectEdges } from './transform';
import { parseNetworkView, SORTS, type Sort, type NetworkView as View, writeNetworkView } from './view-state';

const SORT_LABEL: Record<Sort, string> = {
  bytes: 'bytes',
  rtt: 'RTT',
  retrans: 'retransmissions',
  failed: 'failures',
  flows: 'flows',
};

export function NetworkView() {
  const trpc = useTRPC();
  const [params, update] = useUrlParams();
  const view = parseNetworkView(params);
  const [now] = useNow(view.refresh, JSON.stringify(view.range));
  const { start, end } = resolveRange(view.range, now);
  const refetchInterval = view.range.kind === 'absolute' ? refreshMs(view.refresh) : undefined;
  const set = (patch: Partial<View>, mode: 'push' | 'replace' = 'push') =>
    update((p) => writeNetworkView({ ...parseNetworkView(p), ...patch }, p), mode);

  const edges = useQuery(
    trpc.network.edges.queryOptions(
      { start, end, groupBy: view.group },
      { placeholderData: keepPreviousData, refetchInterval },
    ),
  );
  const rows = useMemo(
    () => (edges.data ? edgeRows(edges.data.edges, edges.data.seconds) : []),
    [edges.data],
  );
  const shown = useMemo(
    () => selectEdges(rows, view.node, view.search, view.sort),
    [rows, view.node, view.search, view.sort],
  );
  const selKey = view.edge ? `${view.edge.source}\u0000${view.edge.target}` : undefined;

  return (
    <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
      <div className={t.toolbar}>
        <GroupPicker
          value={view.group}
          onChange={(group) => set({ group, edge: undefined, node: undefined })}
        />
        <input
          type="search"
          aria-label="Filter edges"
          placeholder="Filter edges…  (/)"
          data-search
          value={view.search}
          onChange={(e) => set({ search: e.target.value }, 'replace')}
        />
        <label>
          <span className="muted">Sort by</span>
          <select
            aria-label="Sort by"
            value={view.sort}
            onChange={(e) => set({ sort: e.target.value as Sort })}
          >
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {SORT_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
        {view.node !== undefined && (
          <span data-testid="node-filter">
            <span className="muted">Node:</span> <strong>{view.node || '(unknown)'}</strong>{' '}
            <button type="button" aria-label="Clear node filter" onClick={() => set({ node: undefined })}>
              ✕
            </button>
          </span>
        )}
        {view.ip && (
          <span>
            <span className="muted">Address:</span> <strong>{view.ip}</strong>{' '}
            <button type="button" aria-label="Clear address" onClick={() => set({ ip: undefined })}>
              ✕
            </button>
          </span>
        )}
        <span className="muted" data-testid="edge-count">
          {edges.data ? `${shown.length} of ${rows.length} edges` : ''}
        </span>
      </div>
      <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        <div className={t.wrap} style={{ flex: view.edge || view.ip ? '0 0 38%' : 1 }}>
          <QueryState
            what="network edges"
            pending={edges.isPending}
            error={edges.error}
            empty={!!edges.data && shown.length === 0}
            emptyText={rows.length ? 'No edge matches the filter.' : 'No network flows in this time range.'}
            onRetry={() => void edges.refetch()}
          >
            <table className={t.table} aria-label="Network edges">
              <thead>
                <tr>
                  <th>Client</th>
                  <th>Server</th>
                  <th className={t.num}>Bytes →</th>
                  <th className={t.num}>Bytes ←</th>
                  <th className={t.num}>Throughput</th>
                  <th className={t.num}>RTT</th>
                  <th className={t.num}>Retrans</th>
                  <th className={t.num}>Failed conn.</th>
                  <th className={t.num}>Resets</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => {
                  const select = () => set({ edge: { source: r.source, target: r.target } }, 'replace');
                  return (
                    <tr
                      key={r.key}
                      tabIndex={0}
                      data-testid="edge-row"
                      aria-selected={r.key === selKey}
                      onClick={select}
                      onKeyDown={(e) => onRowKey(e, select)}
                    >
                      <td>{r.source || '(unknown)'}</td>
                      <td>{r.target || '(unknown)'}</td>
                      <td className={t.num}>{formatBytes(r.byteTx)}</td>
                      <td className={t.num}>{formatBytes(r.byteRx)}</td>
                      <td className={t.num}>{formatBytes(r.throughput)}/s</td>
                      <td className={t.num}>{formatDuration(r.rtt)}</td>
                      <td className={t.num}>
                        {r.retrans} <span className="muted">({formatPercent(r.retransRatio)})</span>
                      </td>
                      <td className={`${t.num} ${r.failed ? 'tone-error' : ''}`}>{r.failed}</td>
                      <td className={`${t.num} ${r.resets ? 'tone-warn' : ''}`}>{r.resets}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </QueryState>
        </div>
        {view.edge && (
          <EdgeDetail
            view={view}
            start={start}
            end={end}
            onChange={set}
            onClose={() => set({ edge: undefined }, 'replace')}
          />
        )}
        {!view.edge && view.ip && (
          <FlowTable view={view} start={start} end={end} filters={{ ip: view.ip }} onChange={set} />
        )}
      </div>
    </div>
  );
}
