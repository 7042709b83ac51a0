/**
 * Draws the map on a 2D canvas: edges first (batched by colour into a few paths so 5,000
 * edges are a handful of strokes), then nodes, then labels only where they fit at the
 * current zoom. Pure over its inputs: no React, no DOM reads besides the context.
 */
import { healthOf, type MapModel } from './model';
import { edgeWidth, errorTone, latencyTone, type Palette, type Tone } from './style';

export interface ViewTransform {
  x: number;
  y: number;
  k: number;
}

export interface DrawState {
  transform: ViewTransform;
  width: number;
  height: number;
  dpr: number;
  hover?: number;
  selected?: number;
  /** when set, nodes outside are faded */
  focus?: Set<number>;
  /** text filter: nodes not matching are faded */
  match?: (i: number) => boolean;
  palette: Palette;
}

const TONES: Tone[] = ['idle', 'ok', 'warn', 'error'];
/** Most node labels drawn in one frame. */
const MAX_LABELS = 200;

function arrow(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number, r: number) {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const tx = x1 - ux * r;
  const ty = y1 - uy * r;
  ctx.moveTo(x0, y0);
  ctx.lineTo(tx, ty);
  const s = 4;
  ctx.moveTo(tx, ty);
  ctx.lineTo(tx - ux * s - uy * s * 0.6, ty - uy * s + ux * s * 0.6);
  ctx.moveTo(tx, ty);
  ctx.lineTo(tx - ux * s + uy * s * 0.6, ty - uy * s - ux * s * 0.6);
}

export function drawMap(
  ctx: CanvasRenderingContext2D,
  model: MapModel,
  pos: Float64Array,
  radii: ArrayLike<number>,
  st: DrawState,
): void {
  const { transform: t, palette: p } = st;
  ctx.setTransform(st.dpr, 0, 0, st.dpr, 0, 0);
  ctx.clearRect(0, 0, st.width, st.height);
  ctx.setTransform(st.dpr * t.k, 0, 0, st.dpr * t.k, st.dpr * t.x, st.dpr * t.y);

  const faded = (i: number) => (st.focus ? !st.focus.has(i) : false) || (st.match ? !st.match(i) : false);
  const lineScale = 1 / Math.sqrt(t.k);

  // Edges: one path per (tone, width bucket, faded, diff) group.
  const groups = new Map<string, number[]>();
  model.edges.forEach((e, i) => {
    if (!e.active) return;
    const diff = e.diff?.state;
    const tone = diff === 'added' ? 'added' : diff === 'removed' ? 'removed' : errorTone(e.red);
    const w = Math.round(edgeWidth(e.red) * 2) / 2;
    const f = faded(e.source) || faded(e.target) ? 1 : 0;
    const hl = st.selected !== undefined && (e.source === st.selected || e.target === st.selected) ? 1 : 0;
    const key = `${tone}|${w}|${f}|${hl}`;
    let g = groups.get(key);
    if (!g) {
      g = [];
      groups.set(key, g);
    }
    g.push(i);
  });
  for (const [key, list] of groups) {
    const [tone, w, f, hl] = key.split('|');
    ctx.beginPath();
    for (const i of list) {
      const e = model.edges[i]!;
      const x0 = pos[2 * e.source]!;
      const y0 = pos[2 * e.source + 1]!;
      const x1 = pos[2 * e.target]!;
      const y1 = pos[2 * e.target + 1]!;
      if (e.source === e.target) {
        const r = radii[e.source] ?? 5;
        ctx.moveTo(x0 + r, y0);
        ctx.arc(x0 + r, y0 - r, r * 0.8, Math.PI / 2, Math.PI * 2.4);
      } else arrow(ctx, x0, y0, x1, y1, (radii[e.target] ?? 5) + 1);
    }
    ctx.strokeStyle = p[tone as keyof Palette] ?? p.idle;
    ctx.globalAlpha = f === '1' ? 0.08 : hl === '1' ? 0.95 : 0.55;
    ctx.lineWidth = Number(w) * lineScale * (hl === '1' ? 1.6 : 1);
    if (tone === 'removed') ctx.setLineDash([4 * lineScale, 3 * lineScale]);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  ctx.globalAlpha = 1;

  // Nodes: fill by error rate, ring by p99, batched by (fill, ring, faded).
  const nodeGroups = new Map<string, number[]>();
  model.nodes.forEach((n, i) => {
    const h = healthOf(n);
    const fill = n.active ? errorTone(h) : 'idle';
    const ring = n.active ? latencyTone(h) : 'idle';
    const key = `${fill}|${ring}|${faded(i) || !n.active ? 1 : 0}`;
    let g = nodeGroups.get(key);
    if (!g) {
      g = [];
      nodeGroups.set(key, g);
    }
    g.push(i);
  });
  for (const fill of TONES)
    for (const ring of TONES)
      for (const f of [1, 0]) {
        const list = nodeGroups.get(`${fill}|${ring}|${f}`);
        if (!list) continue;
        ctx.beginPath();
        for (const i of list) {
          const x = pos[2 * i]!;
          const y = pos[2 * i + 1]!;
          const r = radii[i] ?? 5;
          ctx.moveTo(x + r, y);
          ctx.arc(x, y, r, 0, Math.PI * 2);
        }
        ctx.globalAlpha = f ? 0.25 : 1;
        ctx.fillStyle = p[fill];
        ctx.fill();
        ctx.lineWidth = 2.5 * lineScale;
        ctx.strokeStyle = ring === 'idle' ? p.bg : p[ring];
        ctx.stroke();
      }
  ctx.globalAlpha = 1;

  for (const [i, color] of [
    [st.selected, p.accent],
    [st.hover, p.text],
  ] as const) {
    if (i === undefined || !model.nodes[i]) continue;
    ctx.beginPath();
    ctx.arc(pos[2 * i]!, pos[2 * i + 1]!, (radii[i] ?? 5) + 4 * lineScale, 0, Math.PI * 2);
    ctx.lineWidth = 2 * lineScale;
    ctx.strokeStyle = color;
    ctx.stroke();
  }

  // Labels where there is room: big nodes first, hover/selected always.
  const fontPx = 12 / t.k;
  ctx.font = `${fontPx}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillStyle = p.text;
  const showAll = model.nodes.length * t.k * t.k < 4000;
  const candidates: number[] = [];
  model.nodes.forEach((_, i) => {
    const r = radii[i] ?? 5;
    const screenR = r * t.k;
    if (!(i === st.hover || i === st.selected || (showAll && screenR > 3) || screenR > 14)) return;
    if (faded(i) && i !== st.hover) return;
    const sx = pos[2 * i]! * t.k + t.x;
    const sy = pos[2 * i + 1]! * t.k + t.y;
    if (sx < -100 || sy < -50 || sx > st.width + 100 || sy > st.height + 50) return;
    candidates.push(i);
  });
  // text is the costliest thing to draw: past MAX_LABELS only the biggest nodes get one
  const labelled =
    candidates.length <= MAX_LABELS
      ? candidates
      : candidates
          .sort((a, b) => (radii[b] ?? 5) - (radii[a] ?? 5))
          .slice(0, MAX_LABELS)
          .concat([st.hover, st.selected].filter((i): i is number => i !== undefined));
  for (const i of labelled) {
    const n = model.nodes[i]!;
    const r = radii[i] ?? 5;
    ctx.fillText(n.id === '' ? '(unknown)' : n.id, pos[2 * i]!, pos[2 * i + 1]! + r + 2 / t.k);
  }
}
