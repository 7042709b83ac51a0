/** Service rows with derived RED for the list and the dependency tables. Pure. */
export interface RedIn {
  name: string;
  requests: number;
  errors: number;
  timeouts: number;
  latencySum: number;
  latencyCount: number;
  p99: number;
  /** calls the service made (services that only call out have no served requests) */
  callsOut?: number;
}

export interface ServiceRow {
  name: string;
  requests: number;
  /** per second over the range */
  rate: number;
  /** calls made per second */
  outRate: number;
  /** errors + timeouts over requests */
  errorRate: number;
  p99: number;
  avg: number;
  health: 'ok' | 'warn' | 'error' | 'idle';
}

export function serviceRows(items: RedIn[], seconds: number): ServiceRow[] {
  return items.map((s) => {
    const errorRate = s.requests > 0 ? (s.errors + s.timeouts) / s.requests : 0;
    const health =
      s.requests === 0
        ? 'idle'
        : errorRate >= 0.05 || s.p99 >= 1_000_000
          ? 'error'
          : errorRate >= 0.01 || s.p99 >= 200_000
            ? 'warn'
            : 'ok';
    return {
      name: s.name,
      requests: s.requests,
      rate: seconds > 0 ? s.requests / seconds : 0,
      outRate: seconds > 0 ? (s.callsOut ?? 0) / seconds : 0,
      errorRate,
      p99: s.p99,
      avg: s.latencyCount > 0 ? s.latencySum / s.latencyCount : 0,
      health,
    };
  });
}

/** Totals of a series for the header tiles. */
export function totals(points: Omit<RedIn, 'name'>[]): Omit<RedIn, 'name'> {
  const t = { requests: 0, errors: 0, timeouts: 0, latencySum: 0, latencyCount: 0, p99: 0 };
  for (const p of points) {
    t.requests += p.requests;
    t.errors += p.errors;
    t.timeouts += p.timeouts;
    t.latencySum += p.latencySum;
    t.latencyCount += p.latencyCount;
    t.p99 = Math.max(t.p99, p.p99);
  }
  return t;
}
