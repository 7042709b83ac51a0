/**
 * Runs one query-language request against the telemetry store: compile, bound the work
 * (row clamp, engine settings, client-side deadline, cancellation), and shape the result
 * as `{columns, values}` with the user-facing column names.
 */
import { randomUUID } from 'node:crypto';
import { compileQuery } from '@zeroscope/query';
import type { TelemetryStore } from '../storage/types';
import { type QueryApiCode, QueryApiError, toQueryApiError } from './errors';
import { checkQueryInput, type QueryInput } from './input';
import { DEFAULT_LIMITS, type QueryLimits, settingsClause } from './limits';

export interface QueryResult {
  columns: string[];
  values: unknown[][];
}

export interface QueryStats {
  ok: number;
  failed: Partial<Record<QueryApiCode, number>>;
}

export class QueryService {
  private readonly counts: QueryStats = { ok: 0, failed: {} };

  constructor(
    private readonly telemetry: Pick<TelemetryStore, 'query'>,
    readonly limits: QueryLimits = DEFAULT_LIMITS,
  ) {}

  /**
   * Runs `{sql, start, end}` (validated here, so every caller gets the same checks). Throws
   * QueryApiError only. `signal` cancels (e.g. when the HTTP client goes away).
   */
  async run(request: QueryInput | unknown, signal?: AbortSignal): Promise<QueryResult> {
    try {
      const r = await this.execute(checkQueryInput(request, this.limits), signal);
      this.counts.ok++;
      return r;
    } catch (err) {
      const e = toQueryApiError(err, this.limits);
      this.counts.failed[e.code] = (this.counts.failed[e.code] ?? 0) + 1;
      if (e.code === 'query_failed')
        process.stderr.write(`query failed: ${err instanceof Error ? err.message : String(err)}\n`);
      throw e;
    }
  }

  stats(): QueryStats {
    return { ok: this.counts.ok, failed: { ...this.counts.failed } };
  }

  private async execute(input: QueryInput, signal?: AbortSignal): Promise<QueryResult> {
    const l = this.limits;
    const compiled = compileQuery(input.sql, { start: input.start, end: input.end, maxRows: l.maxRows });
    if (compiled.kind === 'meta') return { columns: compiled.columns, values: compiled.values };
    const deadline = AbortSignal.timeout(l.timeoutMs);
    const stop = signal ? AbortSignal.any([signal, deadline]) : deadline;
    let rows: Record<string, unknown>[];
    try {
      rows = await this.telemetry.query(`${compiled.sql}\n${settingsClause(l)}`, compiled.params, {
        signal: stop,
        queryId: `zsq-${randomUUID()}`,
      });
    } catch (err) {
      if (deadline.aborted && !signal?.aborted)
        throw new QueryApiError(504, 'query_timeout', `query took longer than ${l.timeoutMs} ms`);
      throw err;
    }
    // Compiled output columns are c0..cN in order: JSON rows map back by position.
    const keys = compiled.columns.map((_, i) => `c${i}`);
    return {
      columns: compiled.columns,
      values: rows.slice(0, l.maxRows).map((r) => keys.map((k) => r[k] ?? null)),
    };
  }
}

const services = new WeakMap<object, QueryService>();

/** The service of one API instance (keyed by its telemetry store), created on first use. */
export function queryServiceFor(
  telemetry: Pick<TelemetryStore, 'query'>,
  limits: QueryLimits = DEFAULT_LIMITS,
): QueryService {
  const known = services.get(telemetry);
  if (known) return known;
  const s = new QueryService(telemetry, limits);
  services.set(telemetry, s);
  return s;
}
