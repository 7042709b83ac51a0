/**
 * Registers the multi-source intake and the APIs other tools speak (PRODUCT.md §2.8, §3.3):
 * OTLP/HTTP, Prometheus remote write, Influx line protocol, the Prometheus query API under
 * /prom, and the Tempo/Jaeger trace-by-id endpoint.
 */
import type { ApiContext } from '../context';
import { type Router, sendJson } from '../http/router';
import { registerOtlpRoutes } from '../otlp/http';
import { registerPromIngestRoutes } from '../prom/ingest-http';
import type { EvalLimits } from '../prom/promql/eval';
import { registerPromQueryRoutes } from '../prom/query-http';
import { registerTraceApiRoutes } from '../trace-api/http';
import { DEFAULT_INTAKE_LIMITS, Intake, type IntakeLimits } from './intake';

export function registerIntakeRoutes(
  router: Router,
  ctx: Pick<ApiContext, 'auth' | 'telemetry'>,
  opts: { limits?: IntakeLimits; evalLimits?: EvalLimits } = {},
) {
  const intake = new Intake(ctx, opts.limits ?? DEFAULT_INTAKE_LIMITS);
  registerOtlpRoutes(router, ctx, intake);
  registerPromIngestRoutes(router, ctx, intake);
  const query = registerPromQueryRoutes(router, ctx, intake, opts.evalLimits);
  registerTraceApiRoutes(router, ctx);
  // what the intake accepted and refused, by code (PRODUCT.md: bad input is counted)
  router.on(
    'GET',
    '/v1/intake/stats',
    ctx.auth.guard(
      (_req, res) =>
        sendJson(res, 200, {
          ...intake.stats.snapshot(),
          series: intake.prom.seriesCount,
          promql: query.stats,
        }),
      { scopes: ['api'], minRole: 'viewer' },
    ),
  );
  return { intake, query };
}
