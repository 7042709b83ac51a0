'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo } from 'react';
import { profileHref } from '@/app/(shell)/profiles/link';
import { formatDuration } from '@/app/(shell)/requests/transform';
import { useTRPC } from '@/lib/trpc';
import { SpanDetail } from './SpanDetail';
import styles from './traces.module.css';
import type { TracesView } from './view-state';
import { Waterfall } from './Waterfall';
import { criticalPath, reasonText, serviceColor, type Trace, waterfall } from './waterfall';

interface Props {
  view: TracesView;
  set: (patch: Partial<TracesView>, mode?: 'push' | 'replace') => void;
}

/** One trace: summary, per-service self time, unlinked spans with reasons, waterfall, span detail. */
export function TraceDetail({ view, set }: Props) {
  const trpc = useTRPC();
  const opts = { staleTime: Number.POSITIVE_INFINITY, retry: 1 };
  const byId = useQuery({
    ...trpc.trace.get.queryOptions({ traceId: view.traceId ?? '' }, opts),
    enabled: !!view.traceId,
  });
  const byRecord = useQuery({
    ...trpc.trace.byRecord.queryOptions(view.record ?? dummyKey, opts),
    enabled: !view.traceId && !!view.record,
  });
  const q = view.traceId ? byId : byRecord;
  const trace = q.data as Trace | undefined;
  const critical = useMemo(() => (trace ? criticalPath(trace) : new Set<string>()), [trace]);
  const folded = useMemo(() => new Set(view.folded), [view.folded]);
  const layout = useMemo(
    () => (trace ? waterfall(trace, folded, critical) : undefined),
    [trace, folded, critical],
  );
  const selected = trace?.spans.find((s) => s.spanId === view.span);

  const back = (
    <button
      type="button"
      onClick={() => set({ traceId: undefined, record: undefined, span: undefined, folded: [] })}
    >
      ‹ All traces
    </button>
  );
  if (q.isPending)
    return (
      <div className={styles.summary}>
        {back} <span className="muted">Assembling the trace…</span>
      </div>
    );
  if (q.isError || !trace || !layout)
    return (
      <div className={styles.summary}>
        {back}
        <span className="tone-error" role="alert">
          {q.error?.data?.code === 'NOT_FOUND'
            ? 'No stored request belongs to this trace.'
            : `Could not load the trace: ${q.error?.message}`}
        </span>
      </div>
    );

  const toggleFold = (id: string) =>
    set({ folded: folded.has(id) ? view.folded.filter((f) => f !== id) : [...view.folded, id] }, 'replace');

  return (
    <div className={styles.trace} data-testid="trace">
      <div className={styles.summary}>
        {back}
        <span>
          Trace{' '}
          <span className="mono" data-testid="trace-id">
            {trace.traceId}
          </span>
        </span>
        <span data-testid="trace-stats">
          {trace.spans.length} spans · {formatDuration(trace.endUs - trace.startUs)} · {trace.unlinked.length}{' '}
          unlinked
        </span>
        <span className={styles.services} title="Self time by service">
          {trace.services.slice(0, 8).map((s) => (
            <span key={s.name} title={`${s.spans} spans`}>
              <span className={styles.swatch} style={{ background: serviceColor(s.name) }} />
              {s.name} {formatDuration(s.selfUs)}
            </span>
          ))}
        </span>
        <Link
          data-testid="trace-profile-link"
          title="CPU profile of the busiest service during this trace"
          href={profileHref({
            from: Math.floor(trace.startUs / 1e6),
            to: Math.ceil(trace.endUs / 1e6),
            service: trace.services[0]?.name,
          })}
        >
          Profile this window
        </Link>
        {trace.stats.truncated && (
          <span className="tone-warn">search budget reached: the trace may be incomplete</span>
        )}
      </div>
      {trace.unlinked.length > 0 && (
        <details className={styles.unlinked} data-testid="unlinked">
          <summary>
            {trace.unlinked.length} {trace.unlinked.length === 1 ? 'span' : 'spans'} could not be linked
          </summary>
          <ul>
            {trace.unlinked.slice(0, 200).map((u) => {
              const s = trace.spans.find((x) => x.spanId === u.spanId);
              return (
                <li key={`${u.spanId}-${u.reason}`}>
                  <button type="button" onClick={() => set({ span: u.spanId }, 'replace')}>
                    {s ? `${s.service} ${s.name}` : u.spanId}
                  </button>{' '}
                  — {reasonText(u.reason)}: <span className="muted">{u.detail}</span>
                </li>
              );
            })}
          </ul>
        </details>
      )}
      <div className={styles.body}>
        <Waterfall
          rows={layout.rows}
          hidden={layout.hidden}
          durationUs={trace.endUs - trace.startUs}
          selected={view.span}
          onSelect={(id) => set({ span: id }, 'replace')}
          onToggle={toggleFold}
        />
        {selected && (
          <SpanDetail span={selected} trace={trace} onClose={() => set({ span: undefined }, 'replace')} />
        )}
      </div>
    </div>
  );
}

const dummyKey = {
  start_time: 0,
  end_time: 0,
  flow_id: 0,
  request_id: 0,
  agent_id: 0,
  observation_point: 's-p' as const,
};
