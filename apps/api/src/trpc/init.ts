/**
 * tRPC at the API's edge: one context (the ApiContext plus the request's principal), the
 * procedure builders every domain router uses, and the role check. tRPC errors are this
 * layer's error type (STYLE.md rule 6); internal details never reach the client.
 */
import type { IncomingMessage } from 'node:http';
import { initTRPC, TRPCError } from '@trpc/server';
import type { Principal, Role } from '../auth/types';
import type { ApiContext } from '../context';

export interface TrpcContext {
  api: ApiContext;
  principal: Principal | undefined;
}

/** Declared on every procedure built by roleProcedure(); the role-matrix test reads it. */
export interface ApiMeta {
  minRole?: Role;
}

export async function createTrpcContext(api: ApiContext, req: IncomingMessage): Promise<TrpcContext> {
  return { api, principal: await api.auth.authenticate(req) };
}

const t = initTRPC
  .context<TrpcContext>()
  .meta<ApiMeta>()
  .create({
    isDev: false,
    errorFormatter({ shape, error }) {
      // Internal failures keep their message generic; the cause is logged server side.
      const message = error.code === 'INTERNAL_SERVER_ERROR' ? 'internal error' : shape.message;
      return { ...shape, message, data: { code: shape.data.code, httpStatus: shape.data.httpStatus } };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

const ROLE_RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/** True when `role` is at least `min` in the viewer < editor < admin order. */
export function hasRole(role: Role, min: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[min];
}

/**
 * Signed-in users and API-scoped tokens; read-scoped tokens only for queries (no mutations);
 * agent and ingest tokens cannot use the UI API.
 */
export const protectedProcedure = t.procedure.use(({ ctx, next, type }) => {
  const principal = ctx.principal;
  if (!principal) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });
  const readOnly = principal.scope === 'read' && type === 'query';
  if (principal.scope !== 'api' && !readOnly)
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `a ${principal.scope} token cannot use this ${principal.scope === 'read' ? 'procedure' : 'API'}`,
    });
  return next({ ctx: { ...ctx, principal } });
});

/** A protected procedure that also needs at least role `min` (declared as meta.minRole). */
export function roleProcedure(min: Role) {
  return protectedProcedure.meta({ minRole: min }).use(({ ctx, next }) => {
    if (!hasRole(ctx.principal.role, min))
      throw new TRPCError({ code: 'FORBIDDEN', message: `needs role ${min}, you are ${ctx.principal.role}` });
    return next();
  });
}
