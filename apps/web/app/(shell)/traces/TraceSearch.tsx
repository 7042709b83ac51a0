'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { formatDuration, formatTime } from '@/app/(shell)/requests/transform';
import { refreshMs, resolveRange } from '@/lib/time-range';
import { useTRPC } from '@/lib/trpc';
import { useNow } from '@/lib/use-now';
import styles from './traces.module.css';
import { STATUSES, searchInput, type TracesView } from './view-state';

interface Props {
  view: TracesView;
  set: (patch: Partial<TracesView>, mode?: 'push' | 'replace') => void;
}

const TONE: Record<string, string> = {
  ok: 'ok',
  client_error: 'warn',
  server_error: 'error',
  timeout: 'error',
};

/** Entry requests matching service/endpoint/status/duration in the range; a row opens its trace. */
export function TraceSearch({ view, set }: Props) {
  const trpc = useTRPC();
  const [now] = useNow(view.refresh, JSON.stringify(view.range));
  const { start, end } = resolveRange(view.range, now);
  const list = useQuery(
    trpc.trace.search.queryOptions(searchInput(view, start, end), {
      placeholderData: keepPreviousData,
      refetchInterval: view.range.kind === 'absolute' ? refreshMs(view.refresh) : undefined,
    }),
  );
  const [service, setService] = useState(view.service);
  const [endpoint, setEndpoint] = useState(view.endpoint);
  const [min, setMin] = useState(view.minDurationMs === undefined ? '' : String(view.minDurationMs));
  useEffect(() => setService(view.service), [view.service]);
  useEffect(() => setEndpoint(view.endpoint), [view.endpoint]);
  useEffect(
    () => setMin(view.minDurationMs === undefined ? '' : String(view.minDurationMs)),
    [view.minDurationMs],
  );
  const apply = () => {
    const m = Number(min);
    set(
      {
        service,
        endpoint,
        minDurationMs: min.trim() === '' || !Number.isFinite(m) ? undefined : Math.max(0, m),
      },
      'replace',
    );
  };
  const rows = list.data ?? [];

  return (
    <>
      <form
        className={styles.filters}
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <label>
          Service
          <input value={service} onChange={(e) => setService(e.target.value)} placeholder="process name" />
        </label>
        <label>
          Endpoint
          <input value={endpoint} onChange={(e) => setEndpoint(e.target.value)} placeholder="/api/items" />
        </label>
        <label>
          Min duration (ms)
          <input value={min} onChange={(e) => setMin(e.target.value)} inputMode="decimal" size={6} />
        </label>
        <fieldset className={styles.chips} aria-label="Status">
          {STATUSES.map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={view.statuses.includes(s)}
              onClick={() =>
                set({
                  statuses: view.statuses.includes(s)
                    ? view.statuses.filter((x) => x !== s)
                    : [...view.statuses, s],
                })
              }
            >
              {s.replace('_', ' ')}
            </button>
          ))}
        </fieldset>
        <label>
          Sort
          <select value={view.sort} onChange={(e) => set({ sort: e.target.value as TracesView['sort'] })}>
            <option value="start_time">newest</option>
            <option value="duration">slowest</option>
          </select>
        </label>
        <button type="submit">Search</button>
      </form>
      <div className={styles.status} aria-live="polite">
        {list.isError ? (
          <span className="tone-error" role="alert">
            Could not search traces: {list.error.message}
          </span>
        ) : list.isPending ? (
          <span className="muted">Loading…</span>
        ) : (
          <span data-testid="trace-count">{rows.length} traces</span>
        )}
      </div>
      <section className={styles.list} aria-label="Traces">
        <div className={`${styles.listRow} ${styles.listHead}`}>
          <span>Time</span>
          <span>Service</span>
          <span>Entry request</span>
          <span>Status</span>
          <span>Duration</span>
          <span>Spans</span>
        </div>
        {rows.length === 0 && !list.isPending ? (
          <div className={styles.empty}>No traces in this time range match these filters.</div>
        ) : (
          rows.map((r) => (
            <button
              type="button"
              key={`${r.traceId}|${r.startUs}|${r.recordKey.flow_id}`}
              className={styles.listRow}
              data-testid="trace-row"
              onClick={() => set({ traceId: r.traceId, record: undefined, span: undefined, folded: [] })}
            >
              <span className="mono">{formatTime(r.startUs)}</span>
              <span title={r.service}>{r.service}</span>
              <span className="mono" title={r.name}>
                {r.name}
              </span>
              <span className={`tone-${TONE[r.status] ?? 'muted'}`}>
                {r.status} {r.responseCode || ''}
              </span>
              <span className="mono">{formatDuration(r.durationUs)}</span>
              <span className="mono">{r.spanCount || '–'}</span>
            </button>
          ))
        )}
      </section>
    </>
  );
}
