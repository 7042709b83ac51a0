/**
 * The `prometheus` database (PRODUCT.md §3.4): samples from remote write, Influx and OTLP
 * metrics, stored with integer-encoded names (SmartEncoding): a sample row holds only ids
 * and numbers; metric names, label names and label values live once each in small
 * id -> text tables, and each label set once in `series` as arrays of those ids. Ids are
 * 53-bit content hashes (prom/store/hash.ts), so several API instances agree on them.
 * Samples also carry the resource tag ids their pod/instance/service labels resolved to.
 */
import type { Column } from '@zeroscope/wire/columns';
import { INTAKE_TAG_COLUMNS } from '../../intake/resource-tags';
import type { Migration } from './types';

export const PROM_SAMPLE_COLUMNS: readonly Column[] = [
  { name: 'time', type: 'u64' },
  { name: 'metric_id', type: 'u64' },
  { name: 'series_id', type: 'u64' },
  { name: 'value', type: 'f64' },
  ...INTAKE_TAG_COLUMNS,
];

/**
 * Time-series codecs (DoubleDelta for regular scrape times, Gorilla for float values, then
 * ZSTD), ids and tag ids ZSTD. ORDER BY starts at the hour (§3.4), then one series' samples
 * together; TTL drops whole hourly parts.
 */
export const PROM_SAMPLES_DDL = `CREATE TABLE IF NOT EXISTS prometheus.samples
(
    \`time\` DateTime64(6) CODEC(DoubleDelta, ZSTD(1)),
    \`metric_id\` UInt64 CODEC(ZSTD(1)),
    \`series_id\` UInt64 CODEC(ZSTD(1)),
    \`value\` Float64 CODEC(Gorilla, ZSTD(1)),
${INTAKE_TAG_COLUMNS.map((c) => `    \`${c.name}\` UInt32 CODEC(ZSTD(1))`).join(',\n')}
)
ENGINE = MergeTree
PARTITION BY toStartOfHour(time)
ORDER BY (toStartOfHour(time), metric_id, series_id, time)
TTL toDateTime(time) + INTERVAL 15 DAY
SETTINGS ttl_only_drop_parts = 1`;

/** id -> text tables; ReplacingMergeTree so a re-written id (after a crash) stays one row. */
const dictionary = (name: string, text: string) =>
  `CREATE TABLE IF NOT EXISTS prometheus.${name} (\`id\` UInt64, \`${text}\` String) ENGINE = ReplacingMergeTree ORDER BY id`;

export const PROM_SERIES_DDL = `CREATE TABLE IF NOT EXISTS prometheus.series
(
    \`series_id\` UInt64,
    \`metric_id\` UInt64,
    \`label_name_ids\` Array(UInt64),
    \`label_value_ids\` Array(UInt64),
    \`created\` DateTime64(3) DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
ORDER BY (metric_id, series_id)`;

export const migration012: Migration = {
  version: 12,
  name: 'prometheus samples and encoded series',
  statements: [
    dictionary('metric_name', 'name'),
    dictionary('label_name', 'name'),
    dictionary('label_value', 'value'),
    PROM_SERIES_DDL,
    PROM_SAMPLES_DDL,
  ],
};
