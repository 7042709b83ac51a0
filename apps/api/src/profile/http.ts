/**
 * GET /v1/profile/pprof (token or login, viewer): the folded stacks of a range and tag
 * filter as a gzip-compressed pprof Profile, for `go tool pprof` and other pprof readers.
 *   ?start=S&end=S (seconds) &event_type=on-cpu|off-cpu &tag=NAME:VALUE (repeatable)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext } from '../context';
import { HttpError, type Router } from '../http/router';
import { encodePprof } from './pprof';
import { flameInput } from './queries';
import { loadStacks, ProfileError } from './service';

export const PPROF_PATH = '/v1/profile/pprof';

/** Query string -> flame input; a bad one is a 400 with the reason. */
export function parsePprofQuery(search: URLSearchParams) {
  const num = (k: string) => (search.has(k) ? Number(search.get(k)) : Number.NaN);
  const filters = search.getAll('tag').map((t) => {
    const i = t.indexOf(':');
    if (i <= 0) throw new HttpError(400, 'bad_request', `tag must be NAME:VALUE, got '${t.slice(0, 64)}'`);
    return { tag: t.slice(0, i), value: t.slice(i + 1) };
  });
  const parsed = flameInput.safeParse({
    start: num('start'),
    end: num('end'),
    eventType: search.get('event_type') ?? undefined,
    filters,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(
      400,
      'bad_request',
      `${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

export function registerProfileRoutes(router: Router, ctx: Pick<ApiContext, 'auth' | 'telemetry'>): void {
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const q = parsePprofQuery(url.searchParams);
    let rows: Awaited<ReturnType<typeof loadStacks>>['rows'];
    try {
      rows = (await loadStacks(ctx.telemetry, q)).rows;
    } catch (e) {
      if (e instanceof ProfileError && e.code === 'bad_filter')
        throw new HttpError(400, 'bad_filter', e.message);
      throw new HttpError(500, 'query_failed', 'profile query failed');
    }
    const body = encodePprof(rows, { eventType: q.eventType, startMs: q.start * 1000, endMs: q.end * 1000 });
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="profile-${q.eventType}-${q.start}-${q.end}.pb.gz"`,
      'content-length': body.length,
    });
    res.end(body);
  };
  router.on('GET', PPROF_PATH, ctx.auth.guard(handler, { scopes: ['api'], minRole: 'viewer' }));
}
