/** Roles and scopes (PRODUCT.md §2.9): viewer < editor < admin; scopes say which surface a token may use. */
import type { Role, Scope } from './types';

export const ROLES: readonly Role[] = ['viewer', 'editor', 'admin'];
export const SCOPES: readonly Scope[] = ['api', 'read', 'agent', 'ingest'];

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

export function isScope(v: unknown): v is Scope {
  return typeof v === 'string' && (SCOPES as readonly string[]).includes(v);
}

/** True when `role` is at least `min`. */
export function atLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}
