/**
 * Rows of the compiled map queries (columns c0..cN, 64-bit values possibly quoted) -> the
 * shapes map.ts returns. One vantage per key: when both the client and the server side saw
 * the same calls, the observation point with more requests stands for them. Pure.
 */
export interface Red {
  requests: number;
  errors: number;
  timeouts: number;
  /** µs */
  latencySum: number;
  latencyCount: number;
  latencyMax: number;
  p99: number;
}

export interface MapEdge extends Red {
  source: string;
  target: string;
}

export interface MapNodeStats extends Red {
  id: string;
}

export interface NamedRed extends Red {
  name: string;
}

export interface EndpointRed extends Red {
  endpoint: string;
  protocol: string;
  port: number;
}

type Row = Record<string, unknown>;

const num = (v: unknown) => {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
};
const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/** RED columns start at `at` in the order of mapQueries.RED_COLUMNS. */
export function red(r: Row, at: number): Red {
  const c = (i: number) => num(r[`c${at + i}`]);
  return {
    requests: c(0),
    errors: c(1),
    timeouts: c(2),
    latencySum: c(3),
    latencyCount: c(4),
    latencyMax: c(5),
    p99: c(6),
  };
}

/** Keeps, per key, the row of the busiest observation point. */
function onePerKey<T extends Red>(items: Iterable<[string, T]>): T[] {
  const best = new Map<string, T>();
  for (const [key, v] of items) {
    const seen = best.get(key);
    if (!seen || v.requests > seen.requests) best.set(key, v);
  }
  return [...best.values()];
}

/** `a, b, op, RED...` */
export function edgesOf(rows: Row[]): MapEdge[] {
  return onePerKey(
    rows.map((r) => {
      const e: MapEdge = { source: str(r.c0), target: str(r.c1), ...red(r, 3) };
      return [`${e.source}\u0000${e.target}`, e] as [string, MapEdge];
    }),
  );
}

/** `n, op, RED...` */
export function nodesOf(rows: Row[]): MapNodeStats[] {
  return onePerKey(rows.map((r) => [str(r.c0), { id: str(r.c0), ...red(r, 2) }] as [string, MapNodeStats]));
}

export function namedOf(rows: Row[]): NamedRed[] {
  return onePerKey(rows.map((r) => [str(r.c0), { name: str(r.c0), ...red(r, 2) }] as [string, NamedRed]));
}

/** `endpoint, proto, port, op, RED...` */
export function endpointsOf(rows: Row[]): EndpointRed[] {
  return onePerKey(
    rows.map((r) => {
      const e: EndpointRed = { endpoint: str(r.c0), protocol: str(r.c1), port: num(r.c2), ...red(r, 4) };
      return [`${e.endpoint}\u0000${e.protocol}\u0000${e.port}`, e] as [string, EndpointRed];
    }),
  ).sort((x, y) => y.requests - x.requests);
}

/**
 * Timeline: one edge list (indices into it) and, per frame, the rows of that frame as
 * flat tuples [edge, requests, errors, timeouts, latencySum, latencyCount, latencyMax, p99]
 * so a 6-hour range of a large map stays a compact answer.
 */
export interface MapTimeline {
  step: number;
  times: number[];
  edges: { source: string; target: string }[];
  frames: number[][][];
}

/** `t, a, b, op, RED...`, ordered by t. */
export function timelineOf(rows: Row[], start: number, end: number, step: number): MapTimeline {
  const first = Math.floor(start / step) * step;
  const times: number[] = [];
  for (let t = first; t < end; t += step) times.push(t);
  const frameAt = new Map(times.map((t, i) => [t, i]));
  const edgeAt = new Map<string, number>();
  const edges: MapTimeline['edges'] = [];
  const perFrame = times.map(() => new Map<number, Red>());
  for (const r of rows) {
    const f = frameAt.get(num(r.c0));
    if (f === undefined) continue;
    const source = str(r.c1);
    const target = str(r.c2);
    const key = `${source}\u0000${target}`;
    let e = edgeAt.get(key);
    if (e === undefined) {
      e = edges.length;
      edgeAt.set(key, e);
      edges.push({ source, target });
    }
    const v = red(r, 4);
    const seen = perFrame[f]!.get(e);
    if (!seen || v.requests > seen.requests) perFrame[f]!.set(e, v);
  }
  const frames = perFrame.map((m) =>
    [...m].map(([e, v]) => [
      e,
      v.requests,
      v.errors,
      v.timeouts,
      v.latencySum,
      v.latencyCount,
      v.latencyMax,
      v.p99,
    ]),
  );
  return { step, times, edges, frames };
}
