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

/** JSON columns take plain objects; `undefined` maps would be dropped by Prisma. */
export const json = (m: Record<string, string> | undefined): Record<string, string> => ({ ...(m ?? {}) });
