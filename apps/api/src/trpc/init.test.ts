import { describe, expect, it } from 'vitest';
import type { Principal, Role } from '../auth/types';
import type { ApiContext } from '../context';
import { createCallerFactory, hasRole, protectedProcedure, roleProcedure, router } from './init';

// The procedures under test never touch the API context; only the principal matters.
const api = {} as ApiContext;
const testRouter = router({
  whoami: protectedProcedure.query(({ ctx }) => ctx.principal.name),
  edit: roleProcedure('editor').mutation(() => 'edited'),
  admin: roleProcedure('admin').query(() => 'admin only'),
});
const caller = (p?: Partial<Principal>) =>
  createCallerFactory(testRouter)({
    api,
    principal: p ? { kind: 'user', id: '1', name: 'ana', role: 'viewer', scope: 'api', ...p } : undefined,
  });

describe('tRPC access', () => {
  it('orders roles viewer < editor < admin', () => {
    const roles: Role[] = ['viewer', 'editor', 'admin'];
    for (const [i, a] of roles.entries())
      for (const [j, b] of roles.entries()) expect(hasRole(a, b)).toBe(i >= j);
  });

  it('needs a principal with the api scope', async () => {
    await expect(caller().whoami()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(caller({ scope: 'ingest' }).whoami()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(caller({ kind: 'token', scope: 'api' }).whoami()).resolves.toBe('ana');
  });

  it('admits read tokens to queries only', async () => {
    await expect(caller({ kind: 'token', scope: 'read' }).whoami()).resolves.toBe('ana');
    await expect(caller({ kind: 'token', scope: 'read', role: 'admin' }).edit()).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(caller({ kind: 'token', scope: 'agent' }).whoami()).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('declares the minimum role as meta', () => {
    expect(testRouter._def.procedures.edit._def.meta).toEqual({ minRole: 'editor' });
    expect(testRouter._def.procedures.whoami._def.meta).toBeUndefined();
  });

  it('checks the minimum role', async () => {
    await expect(caller({ role: 'viewer' }).edit()).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'needs role editor, you are viewer',
    });
    await expect(caller({ role: 'editor' }).edit()).resolves.toBe('edited');
    await expect(caller({ role: 'editor' }).admin()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(caller({ role: 'admin' }).admin()).resolves.toBe('admin only');
    await expect(caller().admin()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
