/** GET /api/traces/:traceId (Tempo/Jaeger style, PRODUCT.md §3.3) over AutoTracing's assembly. */
import type { ApiContext } from '../context';
import { type Router, sendJson } from '../http/router';
import { withToolAuth } from '../intake/auth';
import { TraceError } from '../tracing/errors';
import { findTrace } from '../tracing/store';
import { toJaeger } from './jaeger';

export function registerTraceApiRoutes(router: Router, ctx: Pick<ApiContext, 'auth' | 'telemetry'>): void {
  const guarded = ctx.auth.guard(
    async (_req, res, params) => {
      const id = (params.traceId ?? '').trim().toLowerCase();
      if (!/^[0-9a-z-]{1,128}$/.test(id))
        return sendJson(res, 400, {
          error: 'bad_request',
          message: 'trace id: 1-128 hex digits (or a zs- synthetic id)',
        });
      try {
        sendJson(res, 200, toJaeger(await findTrace(ctx.telemetry, { traceId: id })));
      } catch (err) {
        if (!(err instanceof TraceError)) throw err;
        const status = err.code === 'not_found' ? 404 : err.code === 'bad_input' ? 400 : 503;
        sendJson(res, status, {
          error: err.code,
          message: err.message,
          data: [],
          errors: [{ code: status, msg: err.message }],
        });
      }
    },
    { scopes: ['api'], minRole: 'viewer' },
  );
  router.on('GET', '/api/traces/:traceId', withToolAuth(guarded));
}
