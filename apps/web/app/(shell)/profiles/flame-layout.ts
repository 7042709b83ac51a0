/**
 * Flame-graph layout over the API's tree (flat arrays in pre-order, see the API's
 * profile/tree.ts): x offsets in value units, subtree ends, zoom focus, search matches and
 * hit testing. Pure and React-free; rendering is flame-render.ts.
 */

/** The tree as the API sends it (profile.flame / profile.diff). */
export interface FlameData {
  names: string[];
  name: number[];
  depth: number[];
  total: number[];
  self: number[];
  baseTotal?: number[];
  baseSelf?: number[];
  sum: number;
  baseSum?: number;
}

export interface FlameLayout {
  /** left edge of each node, in value units from the root's left edge */
  x: Float64Array;
  /** one past the last node of each node's subtree */
  end: Int32Array;
  maxDepth: number;
}

export function layoutTree(t: FlameData): FlameLayout {
  const n = t.name.length;
  const x = new Float64Array(n);
  const end = new Int32Array(n);
  // cursor[d]: where the next node at depth d starts (set when its parent is placed)
  const cursor: number[] = [0];
  const open: number[] = [];
  let maxDepth = 0;
  for (let i = 0; i < n; i++) {
    const d = t.depth[i]!;
    while (open.length && t.depth[open[open.length - 1]!]! >= d) end[open.pop()!] = i;
    x[i] = cursor[d] ?? 0;
    cursor[d] = x[i]! + t.total[i]!;
    cursor[d + 1] = x[i]!;
    open.push(i);
    if (d > maxDepth) maxDepth = d;
  }
  for (const i of open) end[i] = n;
  return { x, end, maxDepth };
}

/** Names from the root (excluded) down to node i, joined by ';': a stable zoom key. */
export function pathOf(t: FlameData, i: number): string {
  const parts: string[] = [];
  let d = t.depth[i]!;
  for (let j = i; j > 0 && d > 0; j--) {
    if (t.depth[j] === d) {
      parts.push(t.names[t.name[j]!]!);
      d--;
    }
  }
  return parts.reverse().join(';');
}

/** The node a path names, or 0 (the root) when it is gone from this tree. */
export function findPath(t: FlameData, lay: FlameLayout, path: string): number {
  if (!path) return 0;
  let node = 0;
  for (const part of path.split(';')) {
    let found = -1;
    // children of `node` are the nodes one level deeper in its subtree, skipping grandchildren
    for (let c = node + 1; c < lay.end[node]!; c = lay.end[c]!) {
      if (t.names[t.name[c]!] === part) {
        found = c;
        break;
      }
    }
    if (found < 0) return 0;
    node = found;
  }
  return node;
}

export interface SearchResult {
  /** per name index: 1 when the name matches */
  matched: Uint8Array;
  /** value under matching frames, nested matches counted once */
  value: number;
  /** distinct matching names */
  names: number;
}

/** Case-insensitive substring search; a query like /re/ is a regular expression. */
export function searchTree(t: FlameData, lay: FlameLayout, query: string): SearchResult | undefined {
  const q = query.trim();
  if (!q) return undefined;
  let test: (s: string) => boolean;
  const re = /^\/(.+)\/$/.exec(q);
  if (re) {
    try {
      const r = new RegExp(re[1]!, 'i');
      test = (s) => r.test(s);
    } catch {
      return undefined;
    }
  } else {
    const lower = q.toLowerCase();
    test = (s) => s.toLowerCase().includes(lower);
  }
  const matched = new Uint8Array(t.names.length);
  let names = 0;
  t.names.forEach((s, i) => {
    if (i > 0 && test(s)) {
      matched[i] = 1;
      names++;
    }
  });
  let value = 0;
  for (let i = 1; i < t.name.length; ) {
    if (matched[t.name[i]!]) {
      value += t.total[i]!;
      i = lay.end[i]!; // nested matches are inside this one's total already
    } else i++;
  }
  return { matched, value, names };
}

export interface Viewport {
  width: number;
  rowHeight: number;
  mode: 'flame' | 'icicle';
  /** zoomed node: its subtree fills the width, its ancestors span it */
  focus: number;
}

export function canvasHeight(lay: FlameLayout, vp: Pick<Viewport, 'rowHeight'>): number {
  return (lay.maxDepth + 1) * vp.rowHeight;
}

export function rowTop(depth: number, lay: FlameLayout, vp: Viewport): number {
  return vp.mode === 'icicle' ? depth * vp.rowHeight : (lay.maxDepth - depth) * vp.rowHeight;
}

/** Pixel scale and offset of the focused window. */
export function scaleOf(t: FlameData, lay: FlameLayout, vp: Viewport): { x0: number; k: number } {
  const f = vp.focus;
  const w = t.total[f]! || 1;
  return { x0: lay.x[f]!, k: vp.width / w };
}

/** The node under (px, py), or -1. */
export function hitTest(t: FlameData, lay: FlameLayout, vp: Viewport, px: number, py: number): number {
  const { x0, k } = scaleOf(t, lay, vp);
  const depth =
    vp.mode === 'icicle' ? Math.floor(py / vp.rowHeight) : lay.maxDepth - Math.floor(py / vp.rowHeight);
  if (depth < 0 || depth > lay.maxDepth) return -1;
  const v = px / k + x0;
  // descend from the root through the child that contains v
  let i = 0;
  while (i < t.name.length) {
    if (t.depth[i] === depth) return v >= lay.x[i]! && v < lay.x[i]! + t.total[i]! ? i : -1;
    let next = -1;
    for (let c = i + 1; c < lay.end[i]!; c = lay.end[c]!) {
      if (v >= lay.x[c]! && v < lay.x[c]! + t.total[c]!) {
        next = c;
        break;
      }
    }
    if (next < 0) return -1;
    i = next;
  }
  return -1;
}
