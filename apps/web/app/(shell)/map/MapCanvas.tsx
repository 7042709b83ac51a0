'use client';
import { select, type ZoomBehavior, zoom, zoomIdentity } from 'd3';
import { useEffect, useRef, useState } from 'react';
import { currentTheme, THEME_EVENT } from '@/lib/theme';
import styles from './map.module.css';
import type { MapModel } from './model';
import { bounds, type Direction, hitNode, type Layout, nearestInDirection } from './positions';
import { drawMap, type ViewTransform } from './render';
import { DARK, LIGHT } from './style';

const ARROWS: Record<string, Direction | undefined> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
};

interface Props {
  model: MapModel;
  layout: Layout;
  radii: Float32Array;
  selected: number | undefined;
  focus: Set<number> | undefined;
  match: ((i: number) => boolean) | undefined;
  onSelect: (i: number | undefined) => void;
  onHover: (i: number | undefined, x: number, y: number) => void;
  /** Enter on the canvas: open the selected node (e.g. focus its neighbourhood) */
  onOpen?: (i: number) => void;
  /** called once after the first frame is on the canvas */
  onFirstDraw?: () => void;
}

/** A thin shell over render.ts and layout.ts: canvas sizing, pan/zoom, pointer hit-tests, layout frames. */
export function MapCanvas({
  model,
  layout,
  radii,
  selected,
  focus,
  match,
  onSelect,
  onHover,
  onOpen,
  onFirstDraw,
}: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const transform = useRef<ViewTransform>({ x: 0, y: 0, k: 1 });
  const zoomRef = useRef<ZoomBehavior<HTMLCanvasElement, unknown>>(undefined);
  const [size, setSize] = useState({ w: 800, h: 600 });
  const hover = useRef<number | undefined>(undefined);
  const frame = useRef(0);
  const firstDrawn = useRef(false);
  const props = useRef({ model, radii, selected, focus, match, onFirstDraw });
  props.current = { model, radii, selected, focus, match, onFirstDraw };

  const draw = () => {
    const c = canvasRef.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const dark = currentTheme() === 'dark';
    const t0 = performance.now();
    const { model: m, radii: r, selected: s, focus: f, match: mt } = props.current;
    drawMap(ctx, m, layout.positions, r, {
      transform: transform.current,
      width: c.clientWidth,
      height: c.clientHeight,
      dpr: window.devicePixelRatio || 1,
      hover: hover.current,
      selected: s,
      focus: f,
      match: mt,
      palette: dark ? DARK : LIGHT,
    });
    snapshotAfterDraw(c);
    if (!firstDrawn.current) {
      firstDrawn.current = true;
      c.dataset.rendered = 'true';
      // read by bench/ui: ms since navigation start at the first frame, and the draw's own cost
      c.dataset.firstDrawAt = String(Math.round(performance.now()));
      c.dataset.drawMs = String(Math.round((performance.now() - t0) * 10) / 10);
      props.current.onFirstDraw?.();
    }
  };
  const schedule = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      draw();
    });
  };

  // Panning: once the layout rests, a full frame is kept as a bitmap and a pan only shifts
  // it (one drawImage instead of thousands of paths); the full frame follows when the pan
  // pauses. Zooming changes the scale and always draws in full.
  const snapshot = useRef<{ img: HTMLCanvasElement; t: ViewTransform } | undefined>(undefined);
  const settled = useRef(false);
  const zoomedOnce = useRef(false);
  const fullTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const snapshotAfterDraw = (c: HTMLCanvasElement) => {
    if (!settled.current || c.width === 0 || c.height === 0) return;
    const img = snapshot.current?.img ?? document.createElement('canvas');
    if (img.width !== c.width || img.height !== c.height) {
      img.width = c.width;
      img.height = c.height;
    }
    const g = img.getContext('2d');
    if (!g) return;
    g.clearRect(0, 0, img.width, img.height);
    g.drawImage(c, 0, 0);
    snapshot.current = { img, t: { ...transform.current } };
  };
  const onPan = () => {
    const snap = snapshot.current;
    const t = transform.current;
    const c = canvasRef.current;
    const ctx = c?.getContext('2d');
    if (!settled.current || !snap || snap.t.k !== t.k || !c || !ctx) return schedule();
    if (!frame.current)
      frame.current = requestAnimationFrame(() => {
        frame.current = 0;
        const dpr = window.devicePixelRatio || 1;
        const now = transform.current;
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, c.width, c.height);
        ctx.drawImage(snap.img, Math.round((now.x - snap.t.x) * dpr), Math.round((now.y - snap.t.y) * dpr));
      });
    clearTimeout(fullTimer.current);
    fullTimer.current = setTimeout(schedule, 150);
  };

  // the theme switch and the OS setting repaint the canvas in the new palette
  // biome-ignore lint/correctness/useExhaustiveDependencies: schedule reads refs
  useEffect(() => {
    window.addEventListener(THEME_EVENT, schedule);
    const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
    mq?.addEventListener('change', schedule);
    return () => {
      window.removeEventListener(THEME_EVENT, schedule);
      mq?.removeEventListener('change', schedule);
    };
  }, []);

  // canvas size follows its box
  useEffect(() => {
    const c = canvasRef.current;
    if (!c) return;
    const ro = new ResizeObserver(() => setSize({ w: c.clientWidth, h: c.clientHeight }));
    ro.observe(c);
    return () => ro.disconnect();
  }, []);

  const fit = () => {
    const c = canvasRef.current;
    if (!c || !zoomRef.current) return;
    const b = bounds(layout.positions);
    const w = c.clientWidth || 800;
    const h = c.clientHeight || 600;
    const k = Math.min(4, 0.9 / Math.max((b.x1 - b.x0 + 60) / w, (b.y1 - b.y0 + 60) / h));
    const t = zoomIdentity
      .translate(w / 2 - (k * (b.x0 + b.x1)) / 2, h / 2 - (k * (b.y0 + b.y1)) / 2)
      .scale(k);
    select(c).call(zoomRef.current.transform, t);
  };

  // pan/zoom, and the layout's remaining ticks in animation frames; a new layout is a new
  // map (grouping or range changed)
  // biome-ignore lint/correctness/useExhaustiveDependencies: draw/fit/schedule read refs
  useEffect(() => {
    const c = canvasRef.current;
    if (!c) return;
    const z = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([0.02, 12])
      .on('zoom', (ev) => {
        transform.current = { x: ev.transform.x, y: ev.transform.y, k: ev.transform.k };
        onPan();
      });
    zoomRef.current = z;
    select(c).call(z).on('dblclick.zoom', null);
    settled.current = false;
    snapshot.current = undefined;
    layout.step(120);
    // a refreshed map keeps the user's pan and zoom
    if (!layout.seeded || !zoomedOnce.current) fit();
    zoomedOnce.current = true;
    draw();
    let raf = 0;
    let ticks = 0;
    const run = () => {
      const moving = layout.step(12);
      draw();
      if (moving && ++ticks < 400) raf = requestAnimationFrame(run);
      else {
        settled.current = true;
        if (!layout.seeded) fit();
        schedule();
      }
    };
    raf = requestAnimationFrame(run);
    return () => {
      cancelAnimationFrame(raf);
      clearTimeout(fullTimer.current);
      select(c).on('.zoom', null);
    };
  }, [layout]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: redraw when what is drawn changes
  useEffect(() => {
    const c = canvasRef.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(size.w * dpr);
    c.height = Math.round(size.h * dpr);
    draw();
  }, [size, model, selected, focus, match, radii]);

  const world = (e: React.PointerEvent | React.MouseEvent) => {
    const rect = canvasRef.current!.getBoundingClientRect();
    const t = transform.current;
    return {
      x: (e.clientX - rect.left - t.x) / t.k,
      y: (e.clientY - rect.top - t.y) / t.k,
      sx: e.clientX - rect.left,
      sy: e.clientY - rect.top,
    };
  };
  const visible = (i: number) => model.nodes[i]?.active !== false;

  return (
    <canvas
      ref={canvasRef}
      className={styles.canvas}
      data-testid="map-canvas"
      data-nodes={model.nodes.filter((n) => n.active).length}
      data-edges={model.edges.filter((e) => e.active).length}
      tabIndex={0}
      aria-label="Service map. Arrow keys pick a node, Enter opens it, F fits the map, Escape clears."
      onPointerMove={(e) => {
        // dragging pans; hover (and the React update it causes) waits until the button is up
        if (e.buttons !== 0) return;
        const w = world(e);
        const h = hitNode(layout.positions, radii, w.x, w.y, visible);
        const changed = h !== hover.current;
        if (changed) {
          hover.current = h;
          canvasRef.current!.style.cursor = h === undefined ? 'grab' : 'pointer';
          schedule();
        }
        if (changed || h !== undefined) onHover(h, w.sx, w.sy);
      }}
      onPointerLeave={() => {
        hover.current = undefined;
        onHover(undefined, 0, 0);
        schedule();
      }}
      onClick={(e) => {
        const w = world(e);
        onSelect(hitNode(layout.positions, radii, w.x, w.y, visible));
      }}
      onKeyDown={(e) => {
        if (e.key === 'f' || e.key === 'F') return fit();
        if (e.key === 'Escape') return onSelect(undefined);
        if (e.key === 'Enter' && selected !== undefined) return onOpen?.(selected);
        const dir = ARROWS[e.key];
        if (!dir) return;
        e.preventDefault();
        const next = nearestInDirection(layout.positions, selected, dir, visible);
        if (next !== undefined) onSelect(next);
      }}
    />
  );
}
