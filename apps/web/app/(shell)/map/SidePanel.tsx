'use client';
/**
 * The map's side panel: with no selection, the busiest nodes (a keyboard-friendly way into
 * the map) or the diff's edge list; with a node selected, its RED, callers and callees,
 * instances and endpoints (map.node over the range or the slider's frame), and links to its
 * requests, traces, flows and service page.
 */
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo } from 'react';
import { QueryState } from '@/components/QueryState';
import { formatDelta, formatDuration, formatPercent, formatRate } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import styles from './map.module.css';
import {
  avgLatency,
  errorRate,
  healthOf,
  type MapModel,
  neighbours,
  nodeLabel,
  type Red,
  rate,
} from './model';
import { diffRows, type Timeline } from './timeline';
import { endpointLink, type MapView, mapQueryInput, nodeLinks } from './view-state';

interface Props {
  view: MapView;
  model: MapModel;
  selected: number | undefined;
  start: number;
  end: number;
  timeline: Timeline | undefined;
  onChange: (patch: Partial<MapView>, mode?: 'push' | 'replace') => void;
  carry: URLSearchParams;
}

function Stats({ red, seconds }: { red: Red; seconds: number }) {
  return (
    <div className={styles.stats} data-testid="node-stats">
      <div className={styles.stat}>
        <b>{formatRate(rate(red, seconds))}</b>
        <span>rate</span>
      </div>
      <div className={styles.stat}>
        <b className={errorRate(red) >= 0.05 ? 'tone-error' : undefined}>{formatPercent(errorRate(red))}</b>
        <span>errors</span>
      </div>
      <div className={styles.stat}>
        <b>{formatDuration(red.p99)}</b>
        <span>p99</span>
      </div>
      <div className={styles.stat}>
        <b>{formatDuration(avgLatency(red))}</b>
        <span>avg</span>
      </div>
    </div>
  );
}

export function SidePanel({ view, model, selected, start, end, timeline, onChange, carry }: Props) {
  if (view.diff) return <DiffPanel model={model} />;
  if (selected === undefined) return <NodeList model={model} view={view} onChange={onChange} />;
  return (
    <NodeDetail
      view={view}
      model={model}
      node={selected}
      start={start}
      end={end}
      timeline={timeline}
      onChange={onChange}
      carry={carry}
    />
  );
}

function NodeList({ model, view, onChange }: Pick<Props, 'model' | 'view' | 'onChange'>) {
  const needle = view.search.trim().toLowerCase();
  const rows = useMemo(
    () =>
      model.nodes
        .map((n, i) => ({ n, i }))
        .filter(({ n }) => n.active && (!needle || n.id.toLowerCase().includes(needle)))
        .sort((x, y) => y.n.served.requests + y.n.sent - (x.n.served.requests + x.n.sent))
        .slice(0, 100),
    [model, needle],
  );
  return (
    <aside className={styles.panel} aria-label="Nodes">
      <h2>
        {model.nodes.filter((n) => n.active).length} nodes · {model.edges.filter((e) => e.active).length}{' '}
        edges
      </h2>
      <span className="muted">
        Click a node on the map or below. Arrow keys move on the map, Enter focuses.
      </span>
      <ul className={styles.list} data-testid="node-list">
        {rows.map(({ n, i }) => (
          <li key={n.id}>
            <button
              type="button"
              className={styles.linkButton}
              onClick={() => onChange({ selected: model.nodes[i]!.id }, 'replace')}
            >
              {nodeLabel(n.id)}
            </button>
            <span className="muted">
              {formatRate(rate(healthOf(n), model.seconds))} · {formatPercent(errorRate(healthOf(n)))}
            </span>
          </li>
        ))}
      </ul>
    </aside>
  );
}

function DiffPanel({ model }: { model: MapModel }) {
  const rows = useMemo(() => diffRows(model), [model]);
  return (
    <aside className={styles.panel} aria-label="Diff">
      <h2>A → B</h2>
      <span className="muted">
        Edges only in B are added, only in A removed; request and error deltas B − A.
      </span>
      <ul className={styles.list} data-testid="diff-list">
        {rows.map((r) => (
          <li key={`${r.source}>${r.target}`} data-state={r.state}>
            <span
              className={
                r.state === 'added' ? styles.added : r.state === 'removed' ? styles.removed : undefined
              }
            >
              {r.state === 'added' ? '+ ' : r.state === 'removed' ? '− ' : '~ '}
              {nodeLabel(r.source)} → {nodeLabel(r.target)}
            </span>
            <span className="muted mono">
              {formatDelta(r.before.requests, r.after.requests, String)} req,{' '}
              {formatDelta(r.before.errors, r.after.errors, String)} err, p99{' '}
              {formatDelta(r.before.p99, r.after.p99, formatDuration)}
            </span>
          </li>
        ))}
        {rows.length === 0 && <li className="muted">No differences between A and B.</li>}
      </ul>
    </aside>
  );
}

function NodeDetail({
  view,
  model,
  node,
  start,
  end,
  timeline,
  onChange,
  carry,
}: Omit<Props, 'selected'> & { node: number }) {
  const trpc = useTRPC();
  const n = model.nodes[node]!;
  const nb = useMemo(() => neighbours(model, node), [model, node]);
  // the slider's frame narrows the panel's queries to that step
  const range =
    view.frame !== undefined && timeline
      ? {
          start: view.frame - (view.frame % timeline.step),
          end: view.frame - (view.frame % timeline.step) + timeline.step,
        }
      : { start, end };
  const detail = useQuery(
    trpc.map.node.queryOptions({ ...mapQueryInput(view, range.start, range.end), node: n.id }),
  );
  const links = nodeLinks(n.id, view.group, carry);
  const isFocus = view.focus === n.id;
  const pick = (id: string) => onChange({ selected: id }, 'replace');
  const edgeList = (edges: typeof nb.upstream, end: 'source' | 'target', testId: string) => (
    <ul className={styles.list} data-testid={testId}>
      {edges.slice(0, 20).map((e) => {
        const other = model.nodes[e[end]]!.id;
        return (
          <li key={other}>
            <button type="button" className={styles.linkButton} onClick={() => pick(other)}>
              {nodeLabel(other)}
            </button>
            <span className="muted">
              {formatRate(rate(e.red, model.seconds))} · {formatPercent(errorRate(e.red))}
            </span>
          </li>
        );
      })}
      {edges.length === 0 && <li className="muted">none</li>}
    </ul>
  );

  return (
    <aside className={styles.panel} aria-label="Node details" data-testid="node-panel">
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
        <h2 data-testid="node-name">{nodeLabel(n.id)}</h2>
        <button type="button" aria-label="Close" onClick={() => onChange({ selected: undefined }, 'replace')}>
          ✕
        </button>
      </div>
      {n.served.requests === 0 && n.sent > 0 && (
        <span className="muted">Serves nothing here; the calls it made:</span>
      )}
      <Stats red={healthOf(n)} seconds={model.seconds} />
      <div className={styles.links}>
        <button type="button" onClick={() => onChange({ focus: isFocus ? undefined : n.id })}>
          {isFocus ? 'Show all' : 'Focus up/downstream'}
        </button>
        <Link href={links.requests}>Requests</Link>
        <Link href={links.traces}>Traces</Link>
        <Link href={links.flows}>Flows</Link>
        {links.service && <Link href={links.service}>Service</Link>}
      </div>
      <section>
        <h3>Upstream (callers)</h3>
        {edgeList(nb.upstream, 'source', 'upstream')}
      </section>
      <section>
        <h3>Downstream (callees)</h3>
        {edgeList(nb.downstream, 'target', 'downstream')}
      </section>
      <QueryState
        what="instances and endpoints"
        pending={detail.isPending}
        error={detail.error}
        empty={false}
        emptyText=""
      >
        <section>
          <h3>Instances</h3>
          <ul className={styles.list} data-testid="instances">
            {detail.data?.instances.slice(0, 30).map((i) => (
              <li key={i.name}>
                <span>{nodeLabel(i.name)}</span>
                <span className="muted">
                  {formatRate(rate(i, range.end - range.start))} · {formatPercent(errorRate(i))}
                </span>
              </li>
            ))}
            {detail.data?.instances.length === 0 && <li className="muted">none served requests</li>}
          </ul>
        </section>
        <section>
          <h3>Endpoints</h3>
          <ul className={styles.list} data-testid="endpoints">
            {detail.data?.endpoints.slice(0, 30).map((e) => (
              <li key={`${e.endpoint}|${e.protocol}|${e.port}`}>
                <Link href={endpointLink(e.endpoint, carry)}>{e.endpoint || `${e.protocol}:${e.port}`}</Link>
                <span className="muted">
                  {formatRate(rate(e, range.end - range.start))} · p99 {formatDuration(e.p99)}
                </span>
              </li>
            ))}
            {detail.data?.endpoints.length === 0 && <li className="muted">none</li>}
          </ul>
        </section>
      </QueryState>
    </aside>
  );
}
