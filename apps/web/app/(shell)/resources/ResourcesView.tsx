'use client';
/** The resource inventory (resources.counts / resources.list) with tags, and one resource's details. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { QueryState } from '@/components/QueryState';
import { onRowKey } from '@/components/rowKeys';
import t from '@/components/table.module.css';
import { useTRPC } from '@/lib/trpc';
import { useUrlParams } from '@/lib/use-url-params';
import {
  firstKind,
  KIND_LABEL,
  KINDS,
  parseResourcesView,
  resourceLinks,
  type ResourcesView as View,
  writeResourcesView,
} from './view-state';

const MAX_TAGS_IN_ROW = 4;

export function ResourcesView() {
  const trpc = useTRPC();
  const [params, update] = useUrlParams();
  const parsed = parseResourcesView(params);
  const counts = useQuery(trpc.resources.counts.queryOptions());
  const view = { ...parsed, kind: firstKind(parsed.kind, counts.data, params.has('kind')) };
  const set = (patch: Partial<View>, mode: 'push' | 'replace' = 'push') =>
    update((p) => writeResourcesView({ ...parseResourcesView(p), kind: view.kind, ...patch }, p), mode);
  const list = useQuery(
    trpc.resources.list.queryOptions(
      { kind: view.kind, search: view.search, limit: 500 },
      { placeholderData: keepPreviousData, enabled: counts.isSuccess },
    ),
  );
  const rows = list.data?.rows ?? [];
  const selected = rows.find((r) => r.id === view.selected);

  return (
    <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
      <div className={t.tabs} role="tablist" aria-label="Resource kinds">
        {KINDS.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={view.kind === k}
            onClick={() => set({ kind: k, selected: undefined })}
          >
            {KIND_LABEL[k]} <span className="muted">{counts.data ? counts.data[k] : ''}</span>
          </button>
        ))}
      </div>
      <div className={t.toolbar}>
        <input
          type="search"
          aria-label="Filter resources"
          placeholder="name, value or tag=value…  (/)"
          data-search
          style={{ minWidth: 280 }}
          value={view.search}
          onChange={(e) => set({ search: e.target.value, selected: undefined }, 'replace')}
        />
        <span className="muted" data-testid="resource-count">
          {list.data ? `${list.data.total} ${KIND_LABEL[view.kind].toLowerCase()}` : ''}
        </span>
      </div>
      <div style={{ flex: 1, minHeight: 0, display: 'flex' }}>
        <div className={t.wrap}>
          <QueryState
            what="resources"
            pending={counts.isPending || list.isPending}
            error={counts.error ?? list.error}
            empty={!!list.data && rows.length === 0}
            emptyText={
              view.search
                ? 'Nothing matches the filter.'
                : `No ${KIND_LABEL[view.kind].toLowerCase()} known yet: agents report them when they connect.`
            }
            onRetry={() => void list.refetch()}
          >
            <table className={t.table} aria-label={KIND_LABEL[view.kind]}>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>
                    {view.kind === 'process' || view.kind === 'container' ? 'Host' : 'Namespace / cluster'}
                  </th>
                  <th>Details</th>
                  <th>Tags</th>
                  <th>Last seen</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const pick = () => set({ selected: r.id }, 'replace');
                  const tags = Object.entries(r.tags);
                  return (
                    <tr
                      key={r.id}
                      tabIndex={0}
                      data-testid="resource-row"
                      aria-selected={r.id === view.selected}
                      onClick={pick}
                      onKeyDown={(e) => onRowKey(e, pick)}
                    >
                      <td>
                        {r.name}
                        {r.gone && <span className="muted"> (gone)</span>}
                      </td>
                      <td>{r.scope}</td>
                      <td className="muted">
                        {Object.entries(r.facts)
                          .map(([k, v]) => `${k}: ${v}`)
                          .join(' · ')}
                      </td>
                      <td>
                        {tags.slice(0, MAX_TAGS_IN_ROW).map(([k, v]) => (
                          <span key={k} className={t.tag}>
                            {k.replace(
                              /^(k8s\.label|k8s\.annotation|os\.env|host\.label|container\.label)\./,
                              '',
                            )}
                            ={v}
                          </span>
                        ))}
                        {tags.length > MAX_TAGS_IN_ROW && (
                          <span className="muted">+{tags.length - MAX_TAGS_IN_ROW}</span>
                        )}
                      </td>
                      <td className="muted">{r.lastSeen ? new Date(r.lastSeen).toLocaleString() : ''}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </QueryState>
        </div>
        {selected && (
          <aside
            aria-label="Resource details"
            data-testid="resource-panel"
            style={{
              width: 360,
              borderLeft: '1px solid var(--border)',
              background: 'var(--panel)',
              padding: 14,
              overflowY: 'auto',
            }}
          >
            <div style={{ display: 'flex', justifyContent: 'space-between' }}>
              <h2 style={{ fontSize: 15, margin: 0 }}>{selected.name}</h2>
              <button
                type="button"
                aria-label="Close"
                onClick={() => set({ selected: undefined }, 'replace')}
              >
                ✕
              </button>
            </div>
            <p className="muted">
              {KIND_LABEL[view.kind].replace(/s$/, '')} {selected.scope && `in ${selected.scope}`}
            </p>
            <div style={{ display: 'flex', gap: 10, flexWrap: 'wrap' }}>
              {resourceLinks(view.kind, selected.name, params).map((l) => (
                <Link key={l.label} href={l.href}>
                  {l.label}
                </Link>
              ))}
            </div>
            <h3 style={{ fontSize: 12, textTransform: 'uppercase', color: 'var(--muted)' }}>Details</h3>
            <dl style={{ display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '4px 10px', fontSize: 13 }}>
              {Object.entries(selected.facts).map(([k, v]) => (
                <div key={k} style={{ display: 'contents' }}>
                  <dt className="muted">{k}</dt>
                  <dd style={{ margin: 0, wordBreak: 'break-all' }}>{v}</dd>
                </div>
              ))}
            </dl>
            <h3 style={{ fontSize: 12, textTransform: 'uppercase', color: 'var(--muted)' }}>Tags</h3>
            <dl
              style={{ display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '4px 10px', fontSize: 13 }}
              data-testid="resource-tags"
            >
              {Object.entries(selected.tags).map(([k, v]) => (
                <div key={k} style={{ display: 'contents' }}>
                  <dt className="mono">{k}</dt>
                  <dd style={{ margin: 0, wordBreak: 'break-all' }}>{v}</dd>
                </div>
              ))}
              {Object.keys(selected.tags).length === 0 && <dd className="muted">no tags</dd>}
            </dl>
          </aside>
        )}
      </div>
    </div>
  );
}
