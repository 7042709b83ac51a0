/**
 * Time-slider frames and A-vs-B diffs, computed client side from the one per-frame answer
 * of map.timeline (no query per frame). Node positions come from the whole-range model, so
 * a frame only switches edges on and off and swaps their values. React-free.
 */
import { addRed, type MapModel, type Red, ZERO } from './model';

export interface Timeline {
  step: number;
  times: number[];
  edges: { source: string; target: string }[];
  frames: number[][][];
}

const redOf = (t: number[]): Red => ({
  requests: t[1]!,
  errors: t[2]!,
  timeouts: t[3]!,
  latencySum: t[4]!,
  latencyCount: t[5]!,
  latencyMax: t[6]!,
  p99: t[7]!,
});

/** Index of the frame holding epoch second `t` (nearest at the ends); -1 if there are none. */
export function frameIndex(tl: Timeline, t: number): number {
  if (tl.times.length === 0) return -1;
  let lo = 0;
  let hi = tl.times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tl.times[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Edge values of one frame keyed `source\0target`. */
export function frameEdges(tl: Timeline, frame: number): Map<string, Red> {
  const out = new Map<string, Red>();
  for (const row of tl.frames[frame] ?? []) {
    const e = tl.edges[row[0]!];
    if (e) out.set(`${e.source}\u0000${e.target}`, redOf(row));
  }
  return out;
}

const keyOf = (m: MapModel, i: number) => {
  const e = m.edges[i]!;
  return `${m.nodes[e.source]!.id}\u0000${m.nodes[e.target]!.id}`;
};

/**
 * The whole-range model with one frame's values: edges absent from the frame are inactive,
 * nodes without active edges too. Frame edges unknown to the model (the timeline can hold
 * more rows than the whole-range answer's limit) are ignored.
 */
export function applyFrame(base: MapModel, tl: Timeline, frame: number): MapModel {
  const values = frameEdges(tl, frame);
  const nodes = base.nodes.map((n) => ({ ...n, served: ZERO, sent: 0, called: ZERO, active: false }));
  const edges = base.edges.map((e, i) => {
    const red = values.get(keyOf(base, i));
    if (!red) return { ...e, red: ZERO, active: false, diff: undefined };
    nodes[e.target]!.served = addRed(nodes[e.target]!.served, red);
    nodes[e.target]!.active = true;
    nodes[e.source]!.sent += red.requests;
    nodes[e.source]!.called = addRed(nodes[e.source]!.called, red);
    nodes[e.source]!.active = true;
    return { ...e, red, active: true, diff: undefined };
  });
  return { ...base, nodes, edges, seconds: tl.step };
}

export interface DiffSummary {
  added: number;
  removed: number;
  changed: number;
}

/**
 * Frame A vs frame B on the whole-range model: every edge present in either is active and
 * carries `diff` (added = only in B, removed = only in A) and B's values (A's if removed).
 */
export function diffFrames(
  base: MapModel,
  tl: Timeline,
  a: number,
  b: number,
): { model: MapModel; summary: DiffSummary } {
  const va = frameEdges(tl, a);
  const vb = frameEdges(tl, b);
  const summary: DiffSummary = { added: 0, removed: 0, changed: 0 };
  const nodes = base.nodes.map((n) => ({ ...n, served: ZERO, sent: 0, called: ZERO, active: false }));
  const edges = base.edges.map((e, i) => {
    const k = keyOf(base, i);
    const before = va.get(k);
    const after = vb.get(k);
    if (!before && !after) return { ...e, red: ZERO, active: false, diff: undefined };
    const state = !before ? 'added' : !after ? 'removed' : 'same';
    if (state === 'added') summary.added++;
    else if (state === 'removed') summary.removed++;
    else if (before!.requests !== after!.requests || before!.errors !== after!.errors) summary.changed++;
    const red = after ?? before!;
    nodes[e.source]!.active = true;
    nodes[e.target]!.active = true;
    if (after) {
      nodes[e.target]!.served = addRed(nodes[e.target]!.served, after);
      nodes[e.source]!.called = addRed(nodes[e.source]!.called, after);
    }
    return {
      ...e,
      red,
      active: true,
      diff: { state, before: before ?? ZERO, after: after ?? ZERO } as const,
    };
  });
  return { model: { ...base, nodes, edges, seconds: tl.step }, summary };
}

export interface DiffRow {
  source: string;
  target: string;
  state: 'added' | 'removed' | 'changed';
  before: Red;
  after: Red;
}

/** The diff's edges worth listing: added and removed first, then changed by request delta. */
export function diffRows(model: MapModel, limit = 200): DiffRow[] {
  const out: DiffRow[] = [];
  for (const e of model.edges) {
    const d = e.diff;
    if (!e.active || !d) continue;
    const changed =
      d.state === 'same' && (d.before.requests !== d.after.requests || d.before.errors !== d.after.errors);
    if (d.state === 'same' && !changed) continue;
    out.push({
      source: model.nodes[e.source]!.id,
      target: model.nodes[e.target]!.id,
      state: d.state === 'same' ? 'changed' : d.state,
      before: d.before,
      after: d.after,
    });
  }
  const rank = { added: 0, removed: 1, changed: 2 } as const;
  return out
    .sort(
      (x, y) =>
        rank[x.state] - rank[y.state] ||
        Math.abs(y.after.requests - y.before.requests) - Math.abs(x.after.requests - x.before.requests),
    )
    .slice(0, limit);
}
