/**
 * Alert events (PRODUCT.md §2.10): every state change of an alert series (pending, firing,
 * resolved, nodata, error) and every notification outcome, written by apps/api/src/alerting.
 * The UI's alert history reads it.
 */
import type { Migration } from './types';

export const ALERT_EVENT_DDL = `CREATE TABLE IF NOT EXISTS event.alert_event
(
    \`time\` DateTime64(6) CODEC(Delta(8), ZSTD(1)),
    \`rule_id\` UInt32 CODEC(ZSTD(1)),
    \`rule_name\` String CODEC(ZSTD(1)),
    \`series_key\` String CODEC(ZSTD(1)),
    \`labels\` String CODEC(ZSTD(1)),
    \`event_type\` LowCardinality(String) CODEC(ZSTD(1)),
    \`severity\` LowCardinality(String) CODEC(ZSTD(1)),
    \`value\` Nullable(Float64) CODEC(ZSTD(1)),
    \`threshold\` Float64 CODEC(ZSTD(1)),
    \`message\` String CODEC(ZSTD(1))
)
ENGINE = MergeTree
PARTITION BY toStartOfDay(time)
ORDER BY (time, rule_id)
TTL toDateTime(time) + INTERVAL 180 DAY
SETTINGS ttl_only_drop_parts = 1`;

export const migration011: Migration = {
  version: 11,
  name: 'event.alert_event',
  statements: [ALERT_EVENT_DDL],
};
