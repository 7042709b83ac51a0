/**
 * Draws the flame (root at the bottom) or icicle (root at the top) graph on a 2D canvas:
 * one rect per visible frame, subtrees narrower than half a pixel skipped whole, labels
 * only where they fit (width estimated, never measured per frame). Returns what it drew.
 */
import { DIM_COLOR, diffColor, diffDelta, MATCH_COLOR } from './flame-colors';
import {
  type FlameData,
  type FlameLayout,
  rowTop,
  type SearchResult,
  scaleOf,
  type Viewport,
} from './flame-layout';

export interface RenderOptions {
  colors: readonly string[];
  search?: SearchResult;
  diff: boolean;
  /** per-pixel ratio of the backing store (devicePixelRatio) */
  ratio?: number;
  font?: string;
  textColor?: string;
}

const CHAR_W = 6.4;
const MIN_PX = 0.5;

export function renderFlame(
  ctx: CanvasRenderingContext2D,
  t: FlameData,
  lay: FlameLayout,
  vp: Viewport,
  o: RenderOptions,
): { drawn: number; labels: number } {
  const ratio = o.ratio ?? 1;
  const h = (lay.maxDepth + 1) * vp.rowHeight;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, vp.width, h);
  ctx.font = o.font ?? '11px ui-sans-serif, system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const { x0, k } = scaleOf(t, lay, vp);
  const x1 = x0 + vp.width / k;
  const n = t.name.length;
  let drawn = 0;
  let labels = 0;
  const textColor = o.textColor ?? '#1a1a1a';
  for (let i = 0; i < n; ) {
    const vx = lay.x[i]!;
    const vw = t.total[i]!;
    const w = vw * k;
    // outside the zoomed window, or too narrow to see: nothing below it shows either
    if (vx + vw <= x0 || vx >= x1 || w < MIN_PX) {
      i = lay.end[i]!;
      continue;
    }
    const left = Math.max(0, (vx - x0) * k);
    const right = Math.min(vp.width, (vx + vw - x0) * k);
    const y = rowTop(t.depth[i]!, lay, vp);
    const nameIdx = t.name[i]!;
    ctx.fillStyle = o.diff
      ? diffColor(diffDelta(t, i))
      : o.search
        ? o.search.matched[nameIdx]
          ? MATCH_COLOR
          : DIM_COLOR
        : o.colors[nameIdx]!;
    const bw = Math.max(MIN_PX, right - left - (right - left > 2 ? 0.5 : 0));
    ctx.fillRect(left, y, bw, vp.rowHeight - 1);
    drawn++;
    if (bw > 24) {
      const chars = Math.floor((bw - 6) / CHAR_W);
      const name = t.names[nameIdx]!;
      const label = name.length <= chars ? name : `${name.slice(0, Math.max(1, chars - 1))}…`;
      ctx.fillStyle = textColor;
      ctx.fillText(label, left + 3, y + vp.rowHeight / 2);
      labels++;
    }
    i++;
  }
  return { drawn, labels };
}
