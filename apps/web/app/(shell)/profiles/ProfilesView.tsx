'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { formatPercent } from '@/lib/format';
import { refreshMs, resolveRange } from '@/lib/time-range';
import { useTRPC } from '@/lib/trpc';
import { useNow } from '@/lib/use-now';
import { useUrlParams } from '@/lib/use-url-params';
import { FlameGraph } from './FlameGraph';
import { FunctionTable } from './FunctionTable';
import { findPath, layoutTree, pathOf, searchTree } from './flame-layout';
import { pprofHref, unitFormatter } from './format';
import styles from './profiles.module.css';
import { TagFilters } from './TagFilters';
import { filtersOf, parseView, previousRange, type ProfilesView as View, writeView } from './view-state';

export function ProfilesView() {
  const trpc = useTRPC();
  const [params, update] = useUrlParams();
  const view = parseView(params);
  const [now, bump] = useNow(view.refresh, JSON.stringify(view.range));
  const { start, end } = resolveRange(view.range, now);
  const filters = filtersOf(view);
  const base = { start, end, eventType: view.eventType, filters };
  const live = {
    placeholderData: keepPreviousData,
    refetchInterval: view.range.kind === 'absolute' ? refreshMs(view.refresh) : undefined,
  };

  const flame = useQuery(trpc.profile.flame.queryOptions(base, { ...live, enabled: !view.baseline }));
  const diff = useQuery(
    trpc.profile.diff.queryOptions(
      { ...base, baseline: view.baseline ?? { start: 0, end: 1 } },
      { ...live, enabled: !!view.baseline },
    ),
  );
  const top = useQuery(
    trpc.profile.top.queryOptions(
      { ...base, limit: 500, ...(view.baseline ? { baseline: view.baseline } : {}) },
      live,
    ),
  );
  const targets = useQuery(
    trpc.profile.targets.queryOptions(
      { start, end, eventType: view.eventType },
      { placeholderData: keepPreviousData },
    ),
  );

  const active = view.baseline ? diff : flame;
  const tree = active.data?.tree;
  const layout = useMemo(() => (tree ? layoutTree(tree) : undefined), [tree]);
  const focus = tree && layout ? findPath(tree, layout, view.focus) : 0;
  const search = useMemo(
    () => (tree && layout ? searchTree(tree, layout, view.search) : undefined),
    [tree, layout, view.search],
  );
  const unit = unitFormatter(view.eventType);

  const set = (patch: Partial<View>, mode: 'push' | 'replace' = 'push') =>
    update((p) => writeView({ ...view, ...patch }, p), mode);

  const procs = (targets.data?.processes ?? []).filter((p) => !view.service || p.service === view.service);
  // a link may carry only the pid (or only the name): show the listed process it names
  const named = view.pid
    ? procs.find((p) => p.pid === view.pid && (!view.process || p.name === view.process))
    : undefined;
  const procValue = named
    ? `${named.name}\u0000${named.pid}`
    : view.pid
      ? `${view.process}\u0000${view.pid}`
      : view.process
        ? `${view.process}\u0000`
        : '';

  return (
    <div className={styles.view}>
      <div className={styles.controls}>
        <label>
          <span className="muted">Service</span>
          <select
            aria-label="Service"
            value={view.service}
            onChange={(e) => set({ service: e.target.value, process: '', pid: undefined, focus: '' })}
          >
            <option value="">All services</option>
            {view.service && !targets.data?.services.some((s) => s.name === view.service) && (
              <option value={view.service}>{view.service}</option>
            )}
            {targets.data?.services.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="muted">Process</span>
          <select
            aria-label="Process"
            value={procValue}
            onChange={(e) => {
              const [name = '', pid = ''] = e.target.value.split('\u0000');
              set({ process: name, pid: pid ? Number(pid) : undefined, focus: '' });
            }}
          >
            <option value="">All processes</option>
            {procValue && !procs.some((p) => `${p.name}\u0000${p.pid}` === procValue) && (
              <option value={procValue}>
                {view.process || 'pid'} {view.pid ? `(${view.pid})` : ''}
              </option>
            )}
            {procs.map((p) => (
              <option key={`${p.name}:${p.pid}`} value={`${p.name}\u0000${p.pid}`}>
                {p.name} ({p.pid})
              </option>
            ))}
          </select>
        </label>
        <fieldset className={styles.toggle} aria-label="Event">
          {(['on-cpu', 'off-cpu'] as const).map((e) => (
            <button
              key={e}
              type="button"
              aria-pressed={view.eventType === e}
              onClick={() => set({ eventType: e, focus: '' })}
            >
              {e === 'on-cpu' ? 'On-CPU' : 'Off-CPU'}
            </button>
          ))}
        </fieldset>
        <fieldset className={styles.toggle} aria-label="Layout">
          {(['flame', 'icicle'] as const).map((m) => (
            <button
              key={m}
              type="button"
              aria-pressed={view.mode === m}
              onClick={() => set({ mode: m }, 'replace')}
            >
              {m === 'flame' ? 'Flame' : 'Icicle'}
            </button>
          ))}
        </fieldset>
        <TagFilters tags={view.tags} onChange={(tags) => set({ tags, focus: '' })} />
        <SearchBox value={view.search} onChange={(search) => set({ search }, 'replace')} />
        <button
          type="button"
          aria-pressed={!!view.baseline}
          onClick={() => set({ baseline: view.baseline ? undefined : previousRange(start, end) })}
          title="Compare this range with the one just before it"
        >
          {view.baseline ? 'Exit diff' : 'Diff with previous'}
        </button>
        {view.focus && (
          <button type="button" onClick={() => set({ focus: '' })}>
            Reset zoom
          </button>
        )}
        <a className={styles.pprof} href={pprofHref(start, end, view.eventType, filters)} download>
          pprof
        </a>
        <button
          type="button"
          onClick={() => (view.range.kind === 'relative' ? bump() : void active.refetch())}
          disabled={active.isFetching}
        >
          {active.isFetching ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      <div className={styles.status} aria-live="polite">
        {active.isError ? (
          <span className="tone-error" role="alert">
            Could not load the profile: {active.error.message}
          </span>
        ) : !tree ? (
          <span className="muted">Loading…</span>
        ) : tree.sum === 0 && !(tree.baseSum ?? 0) ? (
          <span data-testid="profile-empty" className="muted">
            No profiles in this range. The agent profiles every process when profiling is on; Node.js
            functions show by name when node runs with --perf-basic-prof.
          </span>
        ) : (
          <span data-testid="profile-summary">
            {view.baseline
              ? `diff: ${unit(tree.baseSum ?? 0)} before → ${unit(tree.sum)} after · red grew, blue shrank`
              : `${unit(tree.sum)} · ${tree.name.length.toLocaleString('en-US')} frames`}
            {search && ` · “${view.search}” ${formatPercent(tree.sum ? search.value / tree.sum : 0)}`}
            {active.data && 'capped' in active.data && active.data.capped && ' · largest stacks only'}
            {tree.truncated > 0 && ` · ${tree.truncated.toLocaleString('en-US')} small frames hidden`}
          </span>
        )}
      </div>
      <div className={styles.body}>
        {tree && tree.name.length > 1 && (
          <FlameGraph
            tree={tree}
            mode={view.mode}
            focus={focus}
            search={search}
            diff={!!view.baseline}
            unit={unit}
            onFocus={(n) => set({ focus: n === 0 ? '' : pathOf(tree, n) }, 'replace')}
          />
        )}
        <FunctionTable
          rows={top.data?.functions ?? []}
          sum={top.data?.sum ?? 0}
          baseSum={top.data && 'baseSum' in top.data ? top.data.baseSum : undefined}
          unit={unit}
          onPick={(name) => set({ search: name }, 'replace')}
        />
      </div>
    </div>
  );
}

function SearchBox({ value, onChange }: { value: string; onChange(v: string): void }) {
  const [text, setText] = useState(value);
  const cb = useRef(onChange);
  cb.current = onChange;
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const id = setTimeout(() => cb.current(text), 300);
    return () => clearTimeout(id);
  }, [text, value]);
  return (
    <input
      type="search"
      data-search
      aria-label="Search frames"
      placeholder="Search functions (text or /regex/)"
      className={styles.search}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onKeyDown={(e) => e.key === 'Enter' && cb.current(text)}
    />
  );
}
