'use client';
/**
 * The flame/icicle canvas: lays the tree out once per tree, redraws on width, zoom, mode,
 * search or theme changes, shows a tooltip on hover and zooms on click (the zoom lives in
 * the URL as a frame path, handled by the parent).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { formatPercent } from '@/lib/format';
import { nameColors } from './flame-colors';
import {
  canvasHeight,
  type FlameData,
  hitTest,
  layoutTree,
  type SearchResult,
  type Viewport,
} from './flame-layout';
import { renderFlame } from './flame-render';
import styles from './profiles.module.css';

interface Props {
  tree: FlameData;
  mode: 'flame' | 'icicle';
  focus: number;
  search: SearchResult | undefined;
  diff: boolean;
  unit: (v: number) => string;
  onFocus(node: number): void;
}

const ROW = 18;

export function FlameGraph({ tree, mode, focus, search, diff, unit, onFocus }: Props) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  const [hover, setHover] = useState<{ node: number; x: number; y: number } | undefined>();
  const layout = useMemo(() => layoutTree(tree), [tree]);
  const colors = useMemo(() => nameColors(tree.names), [tree]);
  const focusNode = focus < tree.name.length ? focus : 0;
  const vp: Viewport = { width, rowHeight: ROW, mode, focus: focusNode };
  const height = canvasHeight(layout, vp);

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.floor(el.clientWidth)));
    ro.observe(el);
    setWidth(Math.floor(el.clientWidth));
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const c = canvas.current;
    if (!c || width === 0) return;
    const ratio = window.devicePixelRatio || 1;
    c.width = Math.floor(width * ratio);
    c.height = Math.floor(height * ratio);
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const t0 = performance.now();
    const r = renderFlame(
      ctx,
      tree,
      layout,
      { width, rowHeight: ROW, mode, focus: focusNode },
      {
        colors,
        search,
        diff,
        ratio,
        textColor: '#111',
      },
    );
    c.dataset.drawn = String(r.drawn);
    c.dataset.renderMs = (performance.now() - t0).toFixed(1);
  }, [tree, layout, colors, width, height, mode, focusNode, search, diff]);

  // flame mode grows upwards from the root: bring the root row into view for a new graph
  const shown = useRef<{ tree: FlameData; mode: string } | undefined>(undefined);
  useEffect(() => {
    const c = canvas.current;
    if (!c || width === 0 || (shown.current?.tree === tree && shown.current.mode === mode)) return;
    shown.current = { tree, mode };
    if (mode === 'flame' && c.getBoundingClientRect().bottom > window.innerHeight)
      c.scrollIntoView({ block: 'end' });
  }, [tree, mode, width]);

  const at = (e: React.MouseEvent) => {
    const rect = (e.target as HTMLCanvasElement).getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    return { node: hitTest(tree, layout, vp, x, y), x, y };
  };

  const h = hover && hover.node >= 0 ? hover.node : -1;
  return (
    <div ref={wrap} className={styles.flameWrap}>
      <canvas
        ref={canvas}
        data-testid="flame-canvas"
        data-nodes={tree.name.length}
        style={{ width: `${width}px`, height: `${height}px` }}
        className={styles.canvas}
        onMouseMove={(e) => setHover(at(e))}
        onMouseLeave={() => setHover(undefined)}
        onClick={(e) => {
          const { node } = at(e);
          if (node >= 0) onFocus(node);
        }}
        role="img"
        aria-label={`${mode} graph of ${tree.name.length} frames`}
      />
      {h >= 0 && hover && (
        <div
          className={styles.tooltip}
          role="tooltip"
          data-testid="flame-tooltip"
          style={{ left: Math.min(hover.x + 12, Math.max(0, width - 320)), top: hover.y + 14 }}
        >
          <div className={styles.tipName}>{tree.names[tree.name[h]!]}</div>
          <div>
            total {unit(tree.total[h]!)} ({formatPercent(tree.sum ? tree.total[h]! / tree.sum : 0)}) · self{' '}
            {unit(tree.self[h]!)}
          </div>
          {diff && tree.baseTotal && (
            <div>
              before {formatPercent(tree.baseSum ? tree.baseTotal[h]! / tree.baseSum : 0)} → after{' '}
              {formatPercent(tree.sum ? tree.total[h]! / tree.sum : 0)}
            </div>
          )}
        </div>
      )}
    </div>
  );
}
