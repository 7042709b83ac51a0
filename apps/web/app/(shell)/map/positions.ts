/**
 * Force-directed node positions (d3-force), React-free. The simulation runs a time-boxed
 * batch of ticks before the first paint and can keep refining in later animation frames;
 * positions live in one Float64Array (x, y interleaved) that the renderer and hit-test read.
 */
import { forceLink, forceManyBody, forceSimulation, forceX, forceY, type Simulation } from 'd3';

export interface LayoutLink {
  source: number;
  target: number;
}

interface SimNode {
  index: number;
  x: number;
  y: number;
  vx: number;
  vy: number;
}

export interface Layout {
  /** x0, y0, x1, y1, ... */
  positions: Float64Array;
  /** runs ticks until `budgetMs` passes or the layout settles; true while still moving */
  step: (budgetMs: number) => boolean;
  /** pins node i at (x, y) (dragging), or releases it with undefined */
  pin: (i: number, x: number | undefined, y: number | undefined) => void;
  stop: () => void;
  /** true when most nodes started where an earlier layout had them (a data refresh) */
  seeded: boolean;
}

/** Share of nodes with a known earlier place above which a layout only settles the rest. */
const SEED_SHARE = 0.8;

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * `radii[i]` keeps bigger nodes apart. Large maps use weaker, shorter-range forces and a
 * faster cooling so the first paint stays within budget at thousands of nodes.
 */
export function createLayout(
  count: number,
  links: LayoutLink[],
  radii: ArrayLike<number>,
  /** an earlier place of node i, so a refresh of the same map keeps it where it was */
  seed?: (i: number) => [number, number] | undefined,
): Layout {
  const large = count > 500;
  let known = 0;
  // phyllotaxis start (d3's own default), spread by size so the first frame is readable
  const nodes: SimNode[] = Array.from({ length: count }, (_, i) => {
    const at = seed?.(i);
    if (at) {
      known++;
      return { index: i, x: at[0], y: at[1], vx: 0, vy: 0 };
    }
    const r = 12 * Math.sqrt(0.5 + i);
    const a = i * Math.PI * (3 - Math.sqrt(5));
    return { index: i, x: r * Math.cos(a), y: r * Math.sin(a), vx: 0, vy: 0 };
  });
  const seeded = count > 0 && known >= SEED_SHARE * count;
  const simLinks = links.filter((l) => l.source !== l.target).map((l) => ({ ...l }));
  const sim: Simulation<SimNode, undefined> = forceSimulation(nodes)
    .force(
      'charge',
      forceManyBody<SimNode>()
        .strength((n) => -40 - 4 * (radii[n.index] ?? 4))
        .theta(large ? 1.2 : 0.9)
        .distanceMax(large ? 400 : 1000),
    )
    .force(
      'link',
      forceLink<SimNode, { source: number | SimNode; target: number | SimNode }>(simLinks)
        .distance(large ? 30 : 60)
        .iterations(1),
    )
    .force('x', forceX<SimNode>(0).strength(large ? 0.06 : 0.04))
    .force('y', forceY<SimNode>(0).strength(large ? 0.06 : 0.04))
    .alphaDecay(large ? 0.05 : 0.03)
    // a refreshed map only lets newcomers find their place
    .alpha(seeded ? 0.05 : 1)
    .stop();

  const positions = new Float64Array(count * 2);
  const copy = () => {
    for (let i = 0; i < count; i++) {
      positions[2 * i] = nodes[i]!.x;
      positions[2 * i + 1] = nodes[i]!.y;
    }
  };
  copy();
  let stopped = false;
  return {
    seeded,
    positions,
    step(budgetMs) {
      if (stopped || count === 0) return false;
      const until = now() + budgetMs;
      do sim.tick();
      while (now() < until && sim.alpha() > sim.alphaMin());
      copy();
      return sim.alpha() > sim.alphaMin();
    },
    pin(i, x, y) {
      const n = nodes[i] as SimNode & { fx?: number | null; fy?: number | null };
      if (!n) return;
      n.fx = x ?? null;
      n.fy = y ?? null;
      if (x !== undefined && y !== undefined) {
        n.x = x;
        n.y = y;
        positions[2 * i] = x;
        positions[2 * i + 1] = y;
      }
    },
    stop() {
      stopped = true;
      sim.stop();
    },
  };
}

/** Bounding box of the positions, for fit-to-view. */
export function bounds(p: Float64Array): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < p.length; i += 2) {
    x0 = Math.min(x0, p[i]!);
    x1 = Math.max(x1, p[i]!);
    y0 = Math.min(y0, p[i + 1]!);
    y1 = Math.max(y1, p[i + 1]!);
  }
  return Number.isFinite(x0) ? { x0, y0, x1, y1 } : { x0: -1, y0: -1, x1: 1, y1: 1 };
}

/** Index of the node whose disc contains world point (x, y), topmost (last drawn) first. */
export function hitNode(
  p: Float64Array,
  radii: ArrayLike<number>,
  x: number,
  y: number,
  visible?: (i: number) => boolean,
): number | undefined {
  let best: number | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (let i = p.length / 2 - 1; i >= 0; i--) {
    if (visible && !visible(i)) continue;
    const dx = p[2 * i]! - x;
    const dy = p[2 * i + 1]! - y;
    const d = dx * dx + dy * dy;
    const r = (radii[i] ?? 4) + 2;
    if (d <= r * r && d < bestD) {
      best = i;
      bestD = d;
    }
  }
  return best;
}

export type Direction = 'left' | 'right' | 'up' | 'down';

/**
 * Keyboard navigation on the canvas: the visible node nearest to `from` in direction `dir`
 * (within a 45° cone each side, distance weighted against straying off-axis). Without
 * `from`, the node nearest the centre of the positions.
 */
export function nearestInDirection(
  p: Float64Array,
  from: number | undefined,
  dir: Direction,
  visible: (i: number) => boolean = () => true,
): number | undefined {
  const n = p.length / 2;
  if (from === undefined || from >= n) {
    const b = bounds(p);
    const cx = (b.x0 + b.x1) / 2;
    const cy = (b.y0 + b.y1) / 2;
    let best: number | undefined;
    let bestD = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (!visible(i)) continue;
      const d = (p[2 * i]! - cx) ** 2 + (p[2 * i + 1]! - cy) ** 2;
      if (d < bestD) {
        best = i;
        bestD = d;
      }
    }
    return best;
  }
  const [ux, uy] = dir === 'left' ? [-1, 0] : dir === 'right' ? [1, 0] : dir === 'up' ? [0, -1] : [0, 1];
  const x0 = p[2 * from]!;
  const y0 = p[2 * from + 1]!;
  let best: number | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    if (i === from || !visible(i)) continue;
    const dx = p[2 * i]! - x0;
    const dy = p[2 * i + 1]! - y0;
    const along = dx * ux + dy * uy;
    const across = Math.abs(dx * uy - dy * ux);
    if (along <= 0 || across > along) continue;
    const score = along + 2 * across;
    if (score < bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}
