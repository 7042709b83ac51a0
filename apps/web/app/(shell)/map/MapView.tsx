'use client';
/**
 * The service map view: URL state (view-state.ts) -> map.graph / map.timeline queries ->
 * the React-free model (model.ts, timeline.ts) -> canvas (MapCanvas over layout.ts and
 * render.ts), with the toolbar, the time slider and the side panel around it.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { QueryState } from '@/components/QueryState';
import { refreshMs, resolveRange } from '@/lib/time-range';
import { useTRPC } from '@/lib/trpc';
import { useNow } from '@/lib/use-now';
import { useUrlParams } from '@/lib/use-url-params';
import { MapCanvas } from './MapCanvas';
import { MapToolbar } from './MapToolbar';
import styles from './map.module.css';
import { buildModel, neighbourhood } from './model';
import { createLayout } from './positions';
import { SidePanel } from './SidePanel';
import { nodeRadii } from './style';
import { TimeSlider } from './TimeSlider';
import { Tooltip } from './Tooltip';
import { applyFrame, diffFrames, frameIndex, type Timeline } from './timeline';
import { mapQueryInput, parseMapView, type MapView as View, writeMapView } from './view-state';

export function MapView() {
  const trpc = useTRPC();
  const [params, update] = useUrlParams();
  const view = parseMapView(params);
  const [now] = useNow(view.refresh, JSON.stringify(view.range));
  const { start, end } = resolveRange(view.range, now);
  const input = mapQueryInput(view, start, end);
  const refetchInterval = view.range.kind === 'absolute' ? refreshMs(view.refresh) : undefined;

  const graph = useQuery(
    trpc.map.graph.queryOptions(input, { placeholderData: keepPreviousData, refetchInterval }),
  );
  const timeline = useQuery(
    trpc.map.timeline.queryOptions(input, {
      placeholderData: keepPreviousData,
      refetchInterval,
      enabled: graph.isSuccess,
    }),
  );

  const set = (patch: Partial<View>, mode: 'push' | 'replace' = 'push') =>
    update((p) => writeMapView({ ...parseMapView(p), ...patch }, p), mode);

  // Layout positions belong to the whole-range model, so frames and diffs keep node places.
  const base = useMemo(
    () => (graph.data ? buildModel(graph.data.edges, graph.data.nodes, graph.data.seconds) : undefined),
    [graph.data],
  );
  const radii = useMemo(() => (base ? nodeRadii(base) : new Float32Array(0)), [base]);
  // A refresh (auto refresh, a new relative `now`) starts nodes where they were.
  const placed = useRef<{ ids: string[]; positions: Float64Array } | undefined>(undefined);
  const layout = useMemo(() => {
    if (!base) return undefined;
    const prev = placed.current;
    const at = prev ? new Map(prev.ids.map((id, i) => [id, i])) : undefined;
    const seed = (i: number): [number, number] | undefined => {
      const j = at?.get(base.nodes[i]!.id);
      return j === undefined ? undefined : [prev!.positions[2 * j]!, prev!.positions[2 * j + 1]!];
    };
    const l = createLayout(base.nodes.length, base.edges, radii, prev ? seed : undefined);
    placed.current = { ids: base.nodes.map((n) => n.id), positions: l.positions };
    return l;
  }, [base, radii]);
  useEffect(() => () => layout?.stop(), [layout]);

  const tl = timeline.data as Timeline | undefined;
  const shown = useMemo(() => {
    if (!base) return undefined;
    if (tl && view.diff)
      return diffFrames(base, tl, frameIndex(tl, view.diff.a), frameIndex(tl, view.diff.b));
    if (tl && view.frame !== undefined)
      return { model: applyFrame(base, tl, frameIndex(tl, view.frame)), summary: undefined };
    return { model: base, summary: undefined };
  }, [base, tl, view.diff, view.frame]);
  const model = shown?.model;

  const selected = view.selected !== undefined ? model?.index.get(view.selected) : undefined;
  const focusIndex = view.focus !== undefined ? model?.index.get(view.focus) : undefined;
  const focus = useMemo(
    () => (model && focusIndex !== undefined ? neighbourhood(model, focusIndex) : undefined),
    [model, focusIndex],
  );
  const needle = view.search.trim().toLowerCase();
  const match = useMemo(
    () => (model && needle ? (i: number) => model.nodes[i]!.id.toLowerCase().includes(needle) : undefined),
    [model, needle],
  );
  const [hover, setHover] = useState<{ i: number; x: number; y: number }>();

  const empty = !!graph.data && graph.data.edges.length === 0 && graph.data.nodes.length === 0;
  return (
    <div className={styles.view}>
      <MapToolbar view={view} onChange={set} summary={shown?.summary} />
      <div className={styles.body}>
        <div className={styles.stage}>
          <QueryState
            what="the service map"
            pending={graph.isPending}
            error={graph.error}
            empty={empty}
            emptyText="No traffic between services in this time range."
            onRetry={() => void graph.refetch()}
          >
            {model && layout && (
              <div className={styles.canvasBox}>
                <MapCanvas
                  model={model}
                  layout={layout}
                  radii={radii}
                  selected={selected}
                  focus={focus}
                  match={match}
                  onSelect={(i) =>
                    set({ selected: i === undefined ? undefined : model.nodes[i]!.id }, 'replace')
                  }
                  onOpen={(i) =>
                    set({ focus: model.nodes[i]!.id === view.focus ? undefined : model.nodes[i]!.id })
                  }
                  onHover={(i, x, y) => setHover(i === undefined ? undefined : { i, x, y })}
                />
                {hover && model.nodes[hover.i] && (
                  <Tooltip model={model} node={hover.i} x={hover.x} y={hover.y} />
                )}
                <Legend />
              </div>
            )}
          </QueryState>
          <TimeSlider
            timeline={tl}
            loading={timeline.isFetching && !tl}
            frame={view.frame}
            diff={view.diff}
            onFrame={(frame, mode) => set({ frame, diff: undefined }, mode)}
            onDiff={(diff) => set({ diff, frame: undefined })}
          />
        </div>
        {model && (
          <SidePanel
            view={view}
            model={model}
            selected={selected}
            start={start}
            end={end}
            timeline={tl}
            onChange={set}
            carry={params}
          />
        )}
      </div>
    </div>
  );
}

function Legend() {
  return (
    <div className={styles.legend} role="note" aria-label="Legend">
      <span>
        <i className={styles.dot} style={{ background: 'var(--ok)' }} />
        healthy
      </span>
      <span>
        <i className={styles.dot} style={{ background: 'var(--warn)' }} />
        errors ≥ 1% / p99 ≥ 200 ms
      </span>
      <span>
        <i className={styles.dot} style={{ background: 'var(--error)' }} />
        errors ≥ 5% / p99 ≥ 1 s
      </span>
      <span className="muted">fill = errors, ring = p99 (served, or calls made for clients)</span>
    </div>
  );
}
