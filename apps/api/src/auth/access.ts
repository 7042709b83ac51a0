/**
 * What a guarded HTTP handler requires, attached to the handler itself so that a route
 * listing (and the role-matrix test) can tell guarded routes from public ones.
 */
import type { Role, Scope } from './types';

export interface Access {
  /** token scopes admitted (session cookies count as `api`) */
  scopes: Scope[];
  minRole: Role;
}

const requirements = new WeakMap<object, Access>();

export function setAccess(handler: object, access: Access): void {
  requirements.set(handler, access);
}

/** The requirement of a handler made by auth.guard(), or undefined for an unguarded one. */
export function accessOf(handler: object): Access | undefined {
  return requirements.get(handler);
}
