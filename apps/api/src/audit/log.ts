/** The audit log of changes (PRODUCT.md §2.9): who changed what, when; written by every mutation. */
import type { Principal } from '../auth/types';
import type { Db } from '../resources/db';

export function actorName(p: Pick<Principal, 'kind' | 'name'> | undefined): string {
  return p ? `${p.kind}:${p.name}` : 'system';
}

export async function audit(
  db: Db,
  who: Pick<Principal, 'kind' | 'name'> | undefined,
  action: string,
  target?: string | number,
  detail?: Record<string, unknown>,
): Promise<void> {
  await db.auditLog.create({
    data: {
      actor: actorName(who).slice(0, 191),
      action,
      target: target === undefined ? null : String(target).slice(0, 191),
      detail: detail === undefined ? undefined : (JSON.parse(JSON.stringify(detail)) as object),
    },
  });
}
