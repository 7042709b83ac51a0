/**
 * The service map as plain data: nodes and edges (indices into nodes) with RED values,
 * built from the API's edge rows, a timeline frame, or a diff of two frames. React-free.
 */

export interface Red {
  requests: number;
  errors: number;
  timeouts: number;
  latencySum: number;
  latencyCount: number;
  latencyMax: number;
  p99: number;
}

export interface EdgeInput extends Red {
  source: string;
  target: string;
}

export interface NodeStatsInput extends Red {
  id: string;
}

export type DiffState = 'same' | 'added' | 'removed';

export interface MapNode {
  id: string;
  /** what the node served (server side) */
  served: Red;
  /** calls the node made */
  sent: number;
  /** RED of the calls the node made (what a client-only node is judged by) */
  called: Red;
  active: boolean;
}

export interface MapEdge {
  source: number;
  target: number;
  red: Red;
  active: boolean;
  diff?: { state: DiffState; before: Red; after: Red };
}

export interface MapModel {
  nodes: MapNode[];
  edges: MapEdge[];
  index: Map<string, number>;
  /** seconds the values cover, for rates */
  seconds: number;
}

export const ZERO: Red = {
  requests: 0,
  errors: 0,
  timeouts: 0,
  latencySum: 0,
  latencyCount: 0,
  latencyMax: 0,
  p99: 0,
};

export function addRed(a: Red, b: Red): Red {
  return {
    requests: a.requests + b.requests,
    errors: a.errors + b.errors,
    timeouts: a.timeouts + b.timeouts,
    latencySum: a.latencySum + b.latencySum,
    latencyCount: a.latencyCount + b.latencyCount,
    latencyMax: Math.max(a.latencyMax, b.latencyMax),
    // sketches are not summable here; the slowest part bounds the whole
    p99: Math.max(a.p99, b.p99),
  };
}

export const errorRate = (r: Red) => (r.requests > 0 ? (r.errors + r.timeouts) / r.requests : 0);
export const rate = (r: Red, seconds: number) => (seconds > 0 ? r.requests / seconds : 0);
export const avgLatency = (r: Red) => (r.latencyCount > 0 ? r.latencySum / r.latencyCount : 0);

/** Name shown for a node id; empty ids are calls whose end is unknown to the tag system. */
export const nodeLabel = (id: string) => (id === '' ? '(unknown)' : id);

/**
 * Builds the map. `nodeStats` (server-side RED per node) wins over edge sums where given,
 * since its p99 comes from the node's own latency sketch.
 */
export function buildModel(edges: EdgeInput[], nodeStats: NodeStatsInput[], seconds: number): MapModel {
  const index = new Map<string, number>();
  const nodes: MapNode[] = [];
  const nodeOf = (id: string) => {
    let i = index.get(id);
    if (i === undefined) {
      i = nodes.length;
      index.set(id, i);
      nodes.push({ id, served: ZERO, sent: 0, called: ZERO, active: true });
    }
    return i;
  };
  const out: MapEdge[] = [];
  for (const e of edges) {
    const s = nodeOf(e.source);
    const t = nodeOf(e.target);
    out.push({ source: s, target: t, red: pickRed(e), active: true });
    nodes[t]!.served = addRed(nodes[t]!.served, pickRed(e));
    nodes[s]!.sent += e.requests;
    nodes[s]!.called = addRed(nodes[s]!.called, pickRed(e));
  }
  for (const n of nodeStats) {
    const i = nodeOf(n.id);
    nodes[i]!.served = pickRed(n);
  }
  return { nodes, edges: out, index, seconds };
}

function pickRed(r: Red): Red {
  return {
    requests: r.requests,
    errors: r.errors,
    timeouts: r.timeouts,
    latencySum: r.latencySum,
    latencyCount: r.latencyCount,
    latencyMax: r.latencyMax,
    p99: r.p99,
  };
}

/** What a node's health shows: what it served, or for a node that only calls out, its calls. */
export const healthOf = (n: MapNode): Red => (n.served.requests > 0 ? n.served : n.called);

/** Nodes reachable from `focus` following edges forwards (downstream) and backwards (upstream). */
export function neighbourhood(model: MapModel, focus: number, depth = Number.POSITIVE_INFINITY): Set<number> {
  const out = new Map<number, number[]>();
  const inc = new Map<number, number[]>();
  for (const e of model.edges) {
    if (!out.has(e.source)) out.set(e.source, []);
    if (!inc.has(e.target)) inc.set(e.target, []);
    out.get(e.source)!.push(e.target);
    inc.get(e.target)!.push(e.source);
  }
  const keep = new Set<number>([focus]);
  for (const adj of [out, inc]) {
    let frontier = [focus];
    const seen = new Set<number>([focus]);
    for (let d = 0; d < depth && frontier.length; d++) {
      const next: number[] = [];
      for (const n of frontier)
        for (const m of adj.get(n) ?? [])
          if (!seen.has(m)) {
            seen.add(m);
            keep.add(m);
            next.push(m);
          }
      frontier = next;
    }
  }
  return keep;
}

/** Direct callers and callees of a node, busiest first. */
export function neighbours(model: MapModel, node: number): { upstream: MapEdge[]; downstream: MapEdge[] } {
  const by = (a: MapEdge, b: MapEdge) => b.red.requests - a.red.requests;
  return {
    upstream: model.edges.filter((e) => e.target === node && e.source !== node).sort(by),
    downstream: model.edges.filter((e) => e.source === node && e.target !== node).sort(by),
  };
}
