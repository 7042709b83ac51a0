/** Rows of the compiled service queries -> what service.ts returns. Pure. */
import { type NamedRed, namedOf, type Red, red } from './mapShape';

type Row = Record<string, unknown>;

const num = (v: unknown) => {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
};
const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export interface RedPoint extends Red {
  /** epoch seconds */
  t: number;
}

/** `t, op, RED...` ordered by t -> one point per step (busiest observation point). */
export function redSeriesOf(rows: Row[]): RedPoint[] {
  const best = new Map<number, RedPoint>();
  for (const r of rows) {
    const p: RedPoint = { t: num(r.c0), ...red(r, 2) };
    const seen = best.get(p.t);
    if (!seen || p.requests > seen.requests) best.set(p.t, p);
  }
  return [...best.values()].sort((a, b) => a.t - b.t);
}

/** `n, op, RED...` -> busiest first. */
export function rankedOf(rows: Row[]): NamedRed[] {
  return namedOf(rows).sort((a, b) => b.requests - a.requests);
}

export interface ServiceRed extends NamedRed {
  /** calls the service made to others (its RED is what it served) */
  callsOut: number;
}

/**
 * Served RED per service plus the services that only call out (they serve nothing, so the
 * server-side table never names them), each with the calls it made. Busiest served first.
 */
export function withCallers(served: NamedRed[], calling: NamedRed[]): ServiceRed[] {
  const out = new Map<string, ServiceRed>(served.map((s) => [s.name, { ...s, callsOut: 0 }]));
  for (const c of calling) {
    const s = out.get(c.name);
    if (s) s.callsOut = c.requests;
    else
      out.set(c.name, {
        name: c.name,
        requests: 0,
        errors: 0,
        timeouts: 0,
        latencySum: 0,
        latencyCount: 0,
        latencyMax: 0,
        p99: 0,
        callsOut: c.requests,
      });
  }
  return [...out.values()].sort((a, b) => b.requests - a.requests || b.callsOut - a.callsOut);
}

export interface ServiceError {
  endpoint: string;
  status: string;
  code: number;
  exception: string;
  count: number;
}

/** `e, s, c, x, n` */
export function errorsOf(rows: Row[]): ServiceError[] {
  return rows.map((r) => ({
    endpoint: str(r.c0),
    status: str(r.c1),
    code: num(r.c2),
    exception: str(r.c3),
    count: num(r.c4),
  }));
}
