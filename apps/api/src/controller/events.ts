/**
 * Resource change events written to ClickHouse `event.resource_event` (migration 005): what
 * appeared, changed or went away, so the UI and alerts can show inventory history.
 */
import type { TelemetryStore } from '../storage/types';

export type ResourceEventType = 'created' | 'changed' | 'deleted';

export interface ResourceEvent {
  /** µs since the epoch */
  time: number;
  /** a tag resource kind: host, gprocess, container, pod, pod_ns, pod_group, pod_node, ... */
  resource_type: string;
  resource_id: number;
  event_type: ResourceEventType;
  name: string;
  host_id: number;
  agent_id: number;
}

export const RESOURCE_EVENT_TABLE = 'event.resource_event';

/** One INSERT for a list of events; JSONEachRow keeps names and values out of the SQL text. */
export async function writeEvents(
  store: Pick<TelemetryStore, 'command'>,
  events: readonly ResourceEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const body = events.map((e) => JSON.stringify(e)).join('\n');
  await store.command(`INSERT INTO ${RESOURCE_EVENT_TABLE} FORMAT JSONEachRow\n${body}`);
}
