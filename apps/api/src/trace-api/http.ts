/** Trace by id for Jaeger and Tempo clients (PRODUCT.md §3.3) over AutoTracing's assembly. */
import type { ApiContext } from '../context';
import { type Router, sendJson } from '../http/router';
import { withToolAuth } from '../intake/auth';
import { TraceError } from '../tracing/errors';
import { findTrace } from '../tracing/store';
import { toJaeger } from './jaeger';
import { toTempoProto } from './tempo';

/**
 * `/api/traces/:id`: Jaeger JSON (`data`, plus Tempo's `batches`), or Tempo protobuf when the
 * client accepts application/protobuf; `/api/v2/traces/:id`: Tempo v2 JSON (`trace`).
 */
export function registerTraceApiRoutes(router: Router, ctx: Pick<ApiContext, 'auth' | 'telemetry'>): void {
  const handler = (v2: boolean) =>
    ctx.auth.guard(
      async (req, res, params) => {
        const id = (params.traceId ?? '').trim().toLowerCase();
        if (!/^[0-9a-z-]{1,128}$/.test(id))
          return sendJson(res, 400, {
            error: 'bad_request',
            message: 'trace id: 1-128 hex digits (or a zs- synthetic id)',
          });
        try {
          const trace = await findTrace(ctx.telemetry, { traceId: id });
          if (v2) return sendJson(res, 200, { trace: { resourceSpans: toJaeger(trace).batches } });
          if (/application\/protobuf/i.test(String(req.headers.accept ?? ''))) {
            const body = toTempoProto(trace);
            res.writeHead(200, { 'content-type': 'application/protobuf', 'content-length': body.length });
            return void res.end(body);
          }
          sendJson(res, 200, toJaeger(trace));
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
  router.on('GET', '/api/traces/:traceId', withToolAuth(handler(false)));
  router.on('GET', '/api/v2/traces/:traceId', withToolAuth(handler(true)));
}
