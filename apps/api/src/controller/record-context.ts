/** What one recording pass carries: the store, the shared id maps and the events it emits. */
import type { Db } from '../resources/db';
import type { ResourceEvent, ResourceEventType } from './events';
import type { IdMaps } from './ids';

export interface RecordCtx {
  db: Db;
  ids: IdMaps;
  now: Date;
  /** numeric agent id (as in fact rows) */
  agentId: number;
  hostId: number;
  events: ResourceEvent[];
}

export function emit(
  c: RecordCtx,
  type: ResourceEventType,
  resource: string,
  id: number,
  name: string,
): void {
  c.events.push({
    time: c.now.getTime() * 1000,
    resource_type: resource,
    resource_id: id,
    event_type: type,
    name,
    host_id: c.hostId,
    agent_id: c.agentId,
  });
}

/**
 * What an upsert means for the change log: `created` when this pass inserted the row (its
 * firstSeen is this pass's time), `changed` when the agent reported a change of something
 * already recorded, nothing when a restarted API merely re-learns a row it already had.
 */
export function upsertEvent(c: RecordCtx, known: boolean, firstSeen: Date): ResourceEventType | undefined {
  if (firstSeen.getTime() === c.now.getTime()) return 'created';
  return known ? 'changed' : undefined;
}

/** emit() for an upsert, see upsertEvent. */
export function emitUpsert(
  c: RecordCtx,
  known: boolean,
  row: { id: number; firstSeen: Date },
  resource: string,
  name: string,
): void {
  const type = upsertEvent(c, known, row.firstSeen);
  if (type) emit(c, type, resource, row.id, name);
}

/** JSON columns take plain objects; `undefined` maps would be dropped by Prisma. */
export const json = (m: Record<string, string> | undefined): Record<string, string> => ({ ...(m ?? {}) });
