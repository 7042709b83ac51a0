/**
 * Folded stacks -> flame-graph tree (pure; PRODUCT.md §2.7, §2.9). The tree goes to the UI
 * as flat arrays in depth-first pre-order, so a node's subtree is the contiguous run after
 * it with a greater depth and the UI lays it out in one pass without building objects.
 * A second set of stacks (the baseline of a diff) is merged into the same tree.
 */

export interface FoldedRow {
  /** frames root first, joined by ';' */
  stack: string;
  value: number;
}

export interface FlameTree {
  /** function names; nodes refer to them by index */
  names: string[];
  /** per node, pre-order: name index, depth (root = 0), total and self value */
  name: number[];
  depth: number[];
  total: number[];
  self: number[];
  /** diff only: the baseline's total and self per node (0 where the node is new) */
  baseTotal?: number[];
  baseSelf?: number[];
  /** sum of all values (the root's total), and the baseline's */
  sum: number;
  baseSum?: number;
  /** nodes left out because they were below the size threshold */
  truncated: number;
}

export const ROOT_NAME = 'all';

interface Node {
  name: number;
  total: number;
  self: number;
  bTotal: number;
  bSelf: number;
  children: Map<number, Node> | undefined;
}

const node = (name: number): Node => ({ name, total: 0, self: 0, bTotal: 0, bSelf: 0, children: undefined });

class Trie {
  readonly names: string[] = [ROOT_NAME];
  private readonly ids = new Map<string, number>([[ROOT_NAME, 0]]);
  readonly root = node(0);
  count = 1;

  private id(name: string): number {
    let i = this.ids.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.ids.set(name, i);
    }
    return i;
  }

  add(stack: string, value: number, base: boolean): void {
    if (!(value > 0) || !Number.isFinite(value)) return;
    let n = this.root;
    if (base) n.bTotal += value;
    else n.total += value;
    let from = 0;
    while (from <= stack.length) {
      let to = stack.indexOf(';', from);
      if (to < 0) to = stack.length;
      if (to > from) {
        const id = this.id(stack.slice(from, to));
        n.children ??= new Map();
        let c = n.children.get(id);
        if (!c) {
          c = node(id);
          n.children.set(id, c);
          this.count++;
        }
        n = c;
        if (base) n.bTotal += value;
        else n.total += value;
      }
      from = to + 1;
    }
    if (base) n.bSelf += value;
    else n.self += value;
  }
}

/** The size a node must reach to be kept so that at most `maxNodes` nodes are. */
function threshold(root: Node, count: number, maxNodes: number, weigh: (n: Node) => number): number {
  if (count <= maxNodes) return Number.NEGATIVE_INFINITY;
  const sizes = new Float64Array(count);
  let i = 0;
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    sizes[i++] = weigh(n);
    if (n.children) for (const c of n.children.values()) stack.push(c);
  }
  // kept are the nodes strictly above this (ties at the boundary all go, so the cap holds)
  return select(sizes, count - maxNodes);
}

/** The k-th smallest value (0-based), rearranging `a` (Hoare's quickselect, median of three). */
export function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three as the pivot keeps sorted or skewed input linear
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

export interface TreeOptions {
  /** most nodes returned (the smallest are left out); default 50,000 */
  maxNodes?: number;
}

/** The flame-graph tree of `rows`; with `baseline`, a diff tree carrying both. */
export function buildFlameTree(
  rows: Iterable<FoldedRow>,
  baseline?: Iterable<FoldedRow>,
  opts: TreeOptions = {},
): FlameTree {
  const t = new Trie();
  for (const r of rows) t.add(r.stack, r.value, false);
  if (baseline) for (const r of baseline) t.add(r.stack, r.value, true);
  const diff = baseline !== undefined;
  // in a diff, a node matters when it is large in either profile (shares, not raw values)
  const sum = t.root.total || 1;
  const bsum = t.root.bTotal || 1;
  const weigh = diff ? (n: Node) => Math.max(n.total / sum, n.bTotal / bsum) : (n: Node) => n.total;
  const cut = threshold(t.root, t.count, Math.max(1, opts.maxNodes ?? 50_000), weigh);

  const out: FlameTree = {
    names: t.names,
    name: [],
    depth: [],
    total: [],
    self: [],
    sum: t.root.total,
    truncated: 0,
  };
  const bt: number[] = [];
  const bs: number[] = [];
  // iterative pre-order; children biggest first so the widest frames sit left
  const stack: [Node, number][] = [[t.root, 0]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    out.name.push(n.name);
    out.depth.push(d);
    out.total.push(n.total);
    out.self.push(n.self);
    if (diff) {
      bt.push(n.bTotal);
      bs.push(n.bSelf);
    }
    if (!n.children) continue;
    const kids = [...n.children.values()].filter((c) => {
      if (weigh(c) > cut) return true;
      out.truncated++;
      return false;
    });
    kids.sort((a, b) => weigh(a) - weigh(b) || (t.names[b.name]! < t.names[a.name]! ? -1 : 1));
    for (const c of kids) stack.push([c, d + 1]);
  }
  if (diff) {
    out.baseTotal = bt;
    out.baseSelf = bs;
    out.baseSum = t.root.bTotal;
  }
  return out;
}

/** Index one past the last node of `i`'s subtree. */
export function subtreeEnd(tree: Pick<FlameTree, 'depth'>, i: number): number {
  const d = tree.depth[i]!;
  let j = i + 1;
  while (j < tree.depth.length && tree.depth[j]! > d) j++;
  return j;
}
