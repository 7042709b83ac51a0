/**
 * Users, roles, API tokens and the audit log (PRODUCT.md §2.9): admins manage everything;
 * anyone signed in can see who they are and change their own password.
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { audit } from '../audit/log';
import { AuthError } from '../auth/errors';
import { ROLES, SCOPES } from '../auth/roles';
import { hashPassword, verifyPassword } from '../auth/secrets';
import type { Role, Scope } from '../auth/types';
import type { Db } from '../resources/db';
import { protectedProcedure, roleProcedure, router } from './init';

const role = z.enum(ROLES as [Role, ...Role[]]);
const scope = z.enum(SCOPES as [Scope, ...Scope[]]);
const userId = z.number().int().positive();
const password = z.string().min(8).max(1024);

async function guarded<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof AuthError)
      throw new TRPCError({
        code: err.code === 'conflict' ? 'CONFLICT' : err.code === 'not_found' ? 'NOT_FOUND' : 'BAD_REQUEST',
        message: err.message,
      });
    throw err;
  }
}

/** Refuses a change that would leave no admin user (nobody could manage access any more). */
async function keepAnAdmin(db: Db, changingId: number): Promise<void> {
  const admins = await db.user.findMany({ where: { role: 'admin' }, select: { id: true } });
  if (admins.length === 1 && admins[0]!.id === changingId)
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'this is the last admin: make another admin first' });
}

export const usersRouter = router({
  me: protectedProcedure.query(({ ctx }) => ({
    kind: ctx.principal.kind,
    name: ctx.principal.name,
    role: ctx.principal.role,
    scope: ctx.principal.scope,
  })),

  changePassword: protectedProcedure
    .input(z.object({ current: z.string().min(1).max(1024), next: password }))
    .mutation(async ({ ctx, input }) => {
      if (ctx.principal.kind !== 'user')
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'tokens have no password' });
      const db = ctx.api.resources.db;
      const user = await db.user.findUnique({ where: { id: Number(ctx.principal.id) } });
      if (!user || !(await verifyPassword(input.current, user.passwordHash)))
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'the current password is wrong' });
      await db.user.update({
        where: { id: user.id },
        data: { passwordHash: await hashPassword(input.next) },
      });
      // other sessions of this user end: a changed password locks out whoever else had it
      await db.session.deleteMany({ where: { userId: user.id } });
      await audit(db, ctx.principal, 'user.password.change', user.id);
      return { ok: true };
    }),

  list: roleProcedure('admin').query(async ({ ctx }) => {
    const rows = await ctx.api.resources.db.user.findMany({ orderBy: { username: 'asc' } });
    return rows.map((u) => ({
      id: u.id,
      username: u.username,
      role: u.role,
      createdAt: u.createdAt.getTime(),
    }));
  }),

  create: roleProcedure('admin')
    .input(z.object({ username: z.string().min(1).max(64), password, role }))
    .mutation(({ ctx, input }) =>
      guarded(async () => {
        const u = await ctx.api.auth.createUser(input.username, input.password, input.role);
        await audit(ctx.api.resources.db, ctx.principal, 'user.create', u.id, {
          username: u.username,
          role: u.role,
        });
        return u;
      }),
    ),

  setRole: roleProcedure('admin')
    .input(z.object({ id: userId, role }))
    .mutation(async ({ ctx, input }) => {
      const db = ctx.api.resources.db;
      if (!(await db.user.findUnique({ where: { id: input.id } })))
        throw new TRPCError({ code: 'NOT_FOUND', message: 'no such user' });
      if (input.role !== 'admin') await keepAnAdmin(db, input.id);
      await db.user.update({ where: { id: input.id }, data: { role: input.role } });
      await audit(db, ctx.principal, 'user.role.set', input.id, { role: input.role });
      return { ok: true };
    }),

  resetPassword: roleProcedure('admin')
    .input(z.object({ id: userId, password }))
    .mutation(async ({ ctx, input }) => {
      const db = ctx.api.resources.db;
      const r = await db.user.updateMany({
        where: { id: input.id },
        data: { passwordHash: await hashPassword(input.password) },
      });
      if (r.count === 0) throw new TRPCError({ code: 'NOT_FOUND', message: 'no such user' });
      await db.session.deleteMany({ where: { userId: input.id } });
      await audit(db, ctx.principal, 'user.password.reset', input.id);
      return { ok: true };
    }),

  remove: roleProcedure('admin')
    .input(z.object({ id: userId }))
    .mutation(async ({ ctx, input }) => {
      const db = ctx.api.resources.db;
      if (ctx.principal.kind === 'user' && Number(ctx.principal.id) === input.id)
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'you cannot delete yourself' });
      await keepAnAdmin(db, input.id);
      const r = await db.user.deleteMany({ where: { id: input.id } });
      if (r.count === 0) throw new TRPCError({ code: 'NOT_FOUND', message: 'no such user' });
      await audit(db, ctx.principal, 'user.delete', input.id);
      return { ok: true };
    }),

  tokens: roleProcedure('admin').query(async ({ ctx }) => {
    const rows = await ctx.api.resources.db.apiToken.findMany({ orderBy: { id: 'asc' } });
    return rows.map((t) => ({
      id: t.id,
      name: t.name,
      scope: t.scope,
      role: t.role,
      createdAt: t.createdAt.getTime(),
      lastUsedAt: t.lastUsedAt?.getTime() ?? null,
      revoked: t.revoked,
    }));
  }),

  /** The raw token is in this answer only; the store keeps its hash. */
  createToken: roleProcedure('admin')
    .input(z.object({ name: z.string().min(1).max(191), scope, role: role.default('viewer') }))
    .mutation(async ({ ctx, input }) => {
      const t = await ctx.api.auth.createToken(input);
      await audit(ctx.api.resources.db, ctx.principal, 'token.create', t.id, {
        name: input.name,
        scope: input.scope,
        role: input.role,
      });
      return t;
    }),

  revokeToken: roleProcedure('admin')
    .input(z.object({ id: z.number().int().positive() }))
    .mutation(({ ctx, input }) =>
      guarded(async () => {
        await ctx.api.auth.revokeToken(input.id);
        await audit(ctx.api.resources.db, ctx.principal, 'token.revoke', input.id);
        return { ok: true };
      }),
    ),

  audit: roleProcedure('admin')
    .input(
      z.object({
        limit: z.number().int().min(1).max(1000).default(200),
        beforeId: z.number().int().positive().optional(),
        action: z.string().max(191).optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.api.resources.db.auditLog.findMany({
        where: {
          ...(input.beforeId ? { id: { lt: input.beforeId } } : {}),
          ...(input.action ? { action: { startsWith: input.action } } : {}),
        },
        orderBy: { id: 'desc' },
        take: input.limit,
      });
      return rows.map((r) => ({
        id: r.id,
        at: r.at.getTime(),
        actor: r.actor,
        action: r.action,
        target: r.target,
        detail: r.detail,
      }));
    }),
});
