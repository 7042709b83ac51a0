/**
 * Resource change events (PRODUCT.md §2.5, §3.4): what the controller recorded appearing,
 * changing or going away (apps/api/src/controller/events.ts writes them). Version 10 leaves
 * room for the numbers other tables take meanwhile; order does not matter, it needs only
 * the `event` database of migration 001.
 */
import type { Migration } from './types';

export const RESOURCE_EVENT_DDL = `CREATE TABLE IF NOT EXISTS event.resource_event
(
    \`time\` DateTime64(6) CODEC(Delta(8), ZSTD(1)),
    \`resource_type\` LowCardinality(String) CODEC(ZSTD(1)),
    \`resource_id\` UInt32 CODEC(ZSTD(1)),
    \`event_type\` LowCardinality(String) CODEC(ZSTD(1)),
    \`name\` String CODEC(ZSTD(1)),
    \`host_id\` UInt32 CODEC(ZSTD(1)),
    \`agent_id\` UInt32 CODEC(ZSTD(1))
)
ENGINE = MergeTree
PARTITION BY toStartOfDay(time)
ORDER BY (time, resource_type, resource_id)
TTL toDateTime(time) + INTERVAL 90 DAY
SETTINGS ttl_only_drop_parts = 1`;

export const migration010: Migration = {
  version: 10,
  name: 'event.resource_event',
  statements: [RESOURCE_EVENT_DDL],
};
