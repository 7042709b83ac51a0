/** POST /v1/query (PRODUCT.md §3.3): `{sql, start, end}` -> `{columns, values}`. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext } from '../context';
import { HttpError, type Router, readBody, sendJson } from '../http/router';
import { QueryApiError } from './errors';
import type { QueryLimits } from './limits';
import { QueryService, queryServiceFor } from './service';

async function jsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const raw = await readBody(req, limit);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new QueryApiError(
      400,
      'bad_request',
      'body must be JSON: {"sql": string, "start": seconds, "end": seconds}',
    );
  }
}

/** Registers POST /v1/query; `limits` replaces the defaults (tests, tuning). */
export function registerQueryRoutes(
  router: Router,
  ctx: Pick<ApiContext, 'auth' | 'telemetry'>,
  limits?: QueryLimits,
): QueryService {
  const service = limits ? new QueryService(ctx.telemetry, limits) : queryServiceFor(ctx.telemetry);
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    // The connection closing before the answer is written means nobody waits for it.
    const gone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    try {
      const result = await service.run(await jsonBody(req, service.limits.maxBodyBytes), gone.signal);
      if (!gone.signal.aborted) sendJson(res, 200, result);
    } catch (err) {
      if (gone.signal.aborted) return;
      if (err instanceof HttpError) throw err; // 413 from readBody, answered by the router
      const e = err instanceof QueryApiError ? err : new QueryApiError(500, 'query_failed', 'internal error');
      sendJson(res, e.status, e.toBody());
    }
  };
  router.on('POST', '/v1/query', ctx.auth.guard(handler, { scopes: ['api'], minRole: 'viewer' }));
  return service;
}
