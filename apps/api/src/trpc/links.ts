/** Incident links for the UI (PRODUCT.md §2.9): create from any view, open, list, revoke. */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { createLink, LinkError, listLinks, openLink, revokeLink, type SnapshotQuery } from '../links/service';
import { FrozenStateSchema } from '../links/state';
import { hasRole, protectedProcedure, router, type TrpcContext } from './init';

const CODES = {
  not_found: 'NOT_FOUND',
  gone: 'NOT_FOUND',
  invalid: 'BAD_REQUEST',
  forbidden: 'FORBIDDEN',
  too_large: 'PAYLOAD_TOO_LARGE',
} as const;

async function guarded<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof LinkError) throw new TRPCError({ code: CODES[err.code], message: err.message });
    throw err;
  }
}

/** Procedures a snapshot never replays: link and user administration. */
const NOT_SNAPSHOTTED = /^(links|users)\./;

/** Runs a read procedure with viewer rights, through the same router the UI calls. */
function snapshotRunner(ctx: TrpcContext & { principal: NonNullable<TrpcContext['principal']> }) {
  return async (q: SnapshotQuery) => {
    // imported here: router.ts imports this file
    const { appRouter, createCaller } = await import('./router');
    const proc = (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[q.path];
    if (proc?._def.type !== 'query' || NOT_SNAPSHOTTED.test(q.path))
      throw new Error(`${q.path} is not a read procedure a snapshot can keep`);
    const caller = createCaller({
      api: ctx.api,
      principal: { ...ctx.principal, role: 'viewer', scope: 'api' },
    });
    let fn: unknown = caller;
    for (const part of q.path.split('.')) fn = (fn as Record<string, unknown>)[part];
    return (fn as (input: unknown) => Promise<unknown>)(q.input);
  };
}

export const linksRouter = router({
  create: protectedProcedure
    .input(
      z.object({
        state: FrozenStateSchema,
        title: z.string().max(191).optional(),
        expiresInSeconds: z
          .number()
          .int()
          .min(60)
          .max(366 * 86_400)
          .optional(),
        snapshot: z
          .array(z.object({ path: z.string().regex(/^[A-Za-z0-9_.]{1,128}$/), input: z.unknown() }))
          .max(50)
          .optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      guarded(() =>
        createLink(
          ctx.api.resources.db,
          ctx.principal,
          { ...input, snapshot: input.snapshot?.map((q) => ({ path: q.path, input: q.input })) },
          snapshotRunner(ctx),
        ),
      ),
    ),

  /** What /s/<id> shows: the frozen state and, if taken, the snapshot. Viewers may open any live link. */
  open: protectedProcedure
    .input(z.object({ id: z.string().regex(/^[A-Za-z0-9]{6,32}$/) }))
    .query(({ ctx, input }) => guarded(() => openLink(ctx.api.resources.db, input.id))),

  /** Own links; admins see everyone's. */
  list: protectedProcedure.query(({ ctx }) =>
    listLinks(ctx.api.resources.db, ctx.principal, hasRole(ctx.principal.role, 'admin')),
  ),

  revoke: protectedProcedure
    .input(z.object({ id: z.string().regex(/^[A-Za-z0-9]{6,32}$/) }))
    .mutation(({ ctx, input }) =>
      guarded(() =>
        revokeLink(ctx.api.resources.db, ctx.principal, input.id, hasRole(ctx.principal.role, 'admin')),
      ),
    ),
});
