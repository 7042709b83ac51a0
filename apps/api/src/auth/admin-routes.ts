/**
 * GET /v1/admin/routes (admin): every HTTP route with what it requires, and every tRPC
 * procedure with its type and minimum role. Operators audit access with it; the role-matrix
 * test walks it so routes added later are checked too.
 */
import type { ApiContext } from '../context';
import { type Router, sendJson } from '../http/router';
import { appRouter } from '../trpc/router';
import { accessOf } from './access';

interface ProcedureDef {
  _def: { type: string; meta?: { minRole?: string } };
}

export function listProcedures(): { path: string; type: string; minRole: string }[] {
  const procs = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;
  return Object.entries(procs).map(([path, p]) => ({
    path,
    type: p._def.type,
    minRole: p._def.meta?.minRole ?? 'viewer',
  }));
}

export function registerAdminRoutes(router: Router, ctx: Pick<ApiContext, 'auth'>): void {
  router.on(
    'GET',
    '/v1/admin/routes',
    ctx.auth.guard(
      (_req, res) =>
        sendJson(res, 200, {
          http: router
            .list()
            .map((r) => ({ method: r.method, path: r.path, access: accessOf(r.handler) ?? null })),
          trpc: listProcedures(),
        }),
      { scopes: ['api'], minRole: 'admin' },
    ),
  );
}
