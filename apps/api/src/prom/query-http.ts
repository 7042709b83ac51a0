/**
 * The Prometheus HTTP query API under /prom (PRODUCT.md §3.3), so Grafana and promtool use
 * Zeroscope as a Prometheus datasource: query, query_range, series, labels, label values,
 * plus the small status/metadata endpoints Grafana probes. Reads ingested samples and
 * Zeroscope's own metric tables.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext } from '../context';
import { HttpError, type Router, sendJson } from '../http/router';
import { withToolAuth } from '../intake/auth';
import type { Intake } from '../intake/intake';
import { StorageError } from '../storage/types';
import { parseStep, parseTime, promParams } from './params';
import { PromQLError } from './promql/ast';
import { DEFAULT_EVAL_LIMITS, type EvalLimits } from './promql/eval';
import { toObject } from './promql/labels';
import { parseSelector } from './promql/parser';
import { instantQuery, rangeQuery } from './promql/query';
import { METRIC_NAME } from './series';
import { OwnMetrics } from './store/own-metrics';
import { IntakeLimitError, type MetricSource } from './store/prom-store';
import { MergedSource } from './store/sources';

export interface PromQueryStats {
  ok: number;
  failed: Record<string, number>;
}

const BUILD_INFO = {
  version: '2.42.0',
  revision: 'zeroscope',
  branch: 'zeroscope',
  buildUser: '',
  buildDate: '',
  goVersion: '',
};

export function registerPromQueryRoutes(
  router: Router,
  ctx: Pick<ApiContext, 'auth' | 'telemetry'>,
  intake: Intake,
  limits: EvalLimits = DEFAULT_EVAL_LIMITS,
): { source: MetricSource; stats: PromQueryStats } {
  const source = new MergedSource([intake.prom, new OwnMetrics(ctx.telemetry)]);
  const stats: PromQueryStats = { ok: 0, failed: {} };

  const route = (
    path: string,
    fn: (p: URLSearchParams, params: Record<string, string>) => Promise<unknown>,
  ) => {
    const handler = async (req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => {
      try {
        const data = await fn(await promParams(req), params);
        stats.ok++;
        sendJson(res, 200, { status: 'success', data });
      } catch (err) {
        if (err instanceof HttpError) throw err;
        const [status, errorType, message] =
          err instanceof PromQLError
            ? [err.errorType === 'bad_data' ? 400 : 422, err.errorType, err.message]
            : err instanceof IntakeLimitError
              ? [422, 'execution', err.message]
              : err instanceof StorageError
                ? [503, 'unavailable', `storage: ${err.message.slice(0, 300)}`]
                : [500, 'internal', `internal error: ${String(err).slice(0, 300)}`];
        stats.failed[errorType] = (stats.failed[errorType] ?? 0) + 1;
        sendJson(res, status, { status: 'error', errorType, error: message });
      }
    };
    const guarded = ctx.auth.guard(handler, { scopes: ['api'], minRole: 'viewer' });
    const entry = withToolAuth(guarded);
    router.on('GET', `/prom/api/v1/${path}`, entry);
    router.on('POST', `/prom/api/v1/${path}`, entry);
  };

  const window = (p: URLSearchParams) => {
    const end = parseTime(p.get('end'), 'end', Date.now());
    return { start: parseTime(p.get('start'), 'start', end - 3600_000), end };
  };
  const selected = async (p: URLSearchParams, required: boolean) => {
    const matches = p.getAll('match[]');
    if (required && matches.length === 0) throw new PromQLError('no match[] parameter provided');
    if (matches.length > 32) throw new PromQLError('at most 32 match[] parameters');
    const { start, end } = window(p);
    if (matches.length === 0) return undefined;
    const seen = new Map<string, Record<string, string>>();
    for (const m of matches)
      for (const labels of await source.series(parseSelector(m), start, end))
        seen.set(JSON.stringify(labels), toObject(labels));
    return [...seen.values()];
  };

  route('query', (p) => {
    const q = p.get('query');
    if (!q) throw new PromQLError("invalid parameter 'query': missing");
    return instantQuery(source, q, parseTime(p.get('time'), 'time', Date.now()), limits);
  });
  route('query_range', (p) => {
    const q = p.get('query');
    if (!q) throw new PromQLError("invalid parameter 'query': missing");
    const start = parseTime(p.get('start'), 'start', Number.NaN);
    const end = parseTime(p.get('end'), 'end', Number.NaN);
    if (Number.isNaN(start) || Number.isNaN(end))
      throw new PromQLError("invalid parameter 'start'/'end': missing");
    return rangeQuery(source, q, start, end, parseStep(p.get('step')), limits);
  });
  route('series', async (p) => (await selected(p, true)) ?? []);
  route('labels', async (p) => {
    const series = await selected(p, false);
    if (!series) return source.labelNames();
    return [...new Set(series.flatMap((s) => Object.keys(s)))].sort();
  });
  route('label/:name/values', async (p, params) => {
    const name = params.name ?? '';
    const { start, end } = window(p);
    const series =
      (await selected(p, false)) ??
      (
        await source.series(
          name === METRIC_NAME
            ? [{ name: METRIC_NAME, op: '=~', value: '.+', re: /^(?:.+)$/s }]
            : [{ name, op: '=~', value: '.+', re: /^(?:.+)$/s }],
          start,
          end,
        )
      ).map(toObject);
    return [...new Set(series.map((s) => s[name]).filter((v): v is string => v !== undefined))].sort();
  });
  route('metadata', async () => ({}));
  route('query_exemplars', async () => []);
  route('status/buildinfo', async () => BUILD_INFO);
  return { source, stats };
}
