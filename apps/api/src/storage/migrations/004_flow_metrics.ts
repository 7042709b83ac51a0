/**
 * Metric tables (PRODUCT.md §2.4, §3.4) from the shared column lists in
 * @zeroscope/wire/metrics. Agents write `<table>_1s` and `<table>_1m` (plain MergeTree, one
 * row per agent, key and window, plus the ingest ledger columns). Materialized views roll
 * every `_1m` insert up into `_1h` and `_1d`, AggregatingMergeTree tables whose value
 * columns are SimpleAggregateFunction(sum|max): they hold plain numbers, so the same
 * `sum()`/`max()` queries read any resolution, and the latency sketch buckets sum exactly.
 */
import {
  METRIC_KEY_COLUMNS,
  METRIC_TABLES,
  METRIC_VALUE_COLUMNS,
  type MetricTable,
} from '@zeroscope/wire/metrics';
import { clickhouseCodec, clickhouseType, INGEST_COLUMNS } from '../schema';
import type { Migration } from './types';

export const METRICS_DATABASE = 'flow_metrics';
export type StoredResolution = '1s' | '1m' | '1h' | '1d';

/** Days each resolution is kept. */
export const METRIC_TTL_DAYS: Record<StoredResolution, number> = { '1s': 1, '1m': 7, '1h': 30, '1d': 365 };

const ROLLUPS = [
  { res: '1h', bucket: "toStartOfHour(start_time, 'UTC')", partition: "toStartOfDay(start_time, 'UTC')" },
  { res: '1d', bucket: "toStartOfDay(start_time, 'UTC')", partition: "toStartOfMonth(start_time, 'UTC')" },
] as const;

export const metricTableName = (t: MetricTable, res: StoredResolution) => `${METRICS_DATABASE}.${t}_${res}`;

/** The short primary index; the full key (every key column) is the ORDER BY. */
function primaryKey(t: MetricTable): string[] {
  const map = t.endsWith('_map');
  return ['start_time', ...(map ? ['auto_service_id_0'] : []), 'auto_service_id_1', 'server_port'];
}

const col = (name: string, type: string, codec: string) => `    \`${name}\` ${type} ${codec}`;

function ttl(res: StoredResolution): string {
  return `TTL toDateTime(start_time) + INTERVAL ${METRIC_TTL_DAYS[res]} DAY`;
}

/** `_1s` / `_1m`: what agents write, with the exactly-once ledger's columns. */
export function rawTableSql(t: MetricTable, res: '1s' | '1m'): string {
  const cols = [...METRIC_KEY_COLUMNS[t], ...METRIC_VALUE_COLUMNS[t], ...INGEST_COLUMNS];
  const lines = cols.map((c) => col(c.name, clickhouseType(c), clickhouseCodec(c)));
  lines.push('    INDEX idx__batch `_batch` TYPE minmax GRANULARITY 1');
  return [
    `CREATE TABLE IF NOT EXISTS ${metricTableName(t, res)}`,
    '(',
    lines.join(',\n'),
    ')',
    'ENGINE = MergeTree',
    'PARTITION BY toStartOfHour(start_time)',
    `ORDER BY (${primaryKey(t).join(', ')})`,
    ttl(res),
    'SETTINGS ttl_only_drop_parts = 1',
  ].join('\n');
}

/** `_1h` / `_1d`: rows with the same full key merge by their columns' functions. */
export function rollupTableSql(t: MetricTable, res: '1h' | '1d', partition: string): string {
  const keys = METRIC_KEY_COLUMNS[t];
  const lines = [
    ...keys.map((c) => col(c.name, clickhouseType(c), clickhouseCodec(c))),
    ...METRIC_VALUE_COLUMNS[t].map((c) =>
      col(c.name, `SimpleAggregateFunction(${c.merge}, ${clickhouseType(c)})`, 'CODEC(ZSTD(1))'),
    ),
  ];
  return [
    `CREATE TABLE IF NOT EXISTS ${metricTableName(t, res)}`,
    '(',
    lines.join(',\n'),
    ')',
    'ENGINE = AggregatingMergeTree',
    `PARTITION BY ${partition}`,
    `PRIMARY KEY (${primaryKey(t).join(', ')})`,
    `ORDER BY (${[...primaryKey(t), ...keys.map((c) => c.name).filter((n) => !primaryKey(t).includes(n))].join(', ')})`,
    ttl(res),
    'SETTINGS ttl_only_drop_parts = 1',
  ].join('\n');
}

/**
 * Every `_1m` insert is aggregated into the rollup as it lands. `f(start_time) AS start_time`:
 * inside its own definition the name is the column (ClickHouse alias rules, both analyzers).
 */
export function rollupViewSql(t: MetricTable, res: '1h' | '1d', bucket: string): string {
  const others = METRIC_KEY_COLUMNS[t].map((c) => c.name).filter((n) => n !== 'start_time');
  const values = METRIC_VALUE_COLUMNS[t].map((c) => `${c.merge}(\`${c.name}\`) AS \`${c.name}\``);
  return [
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${metricTableName(t, res)}_mv TO ${metricTableName(t, res)} AS`,
    `SELECT ${bucket} AS start_time, ${others.map((n) => `\`${n}\``).join(', ')}, ${values.join(', ')}`,
    `FROM ${metricTableName(t, '1m')}`,
    `GROUP BY start_time, ${others.map((n) => `\`${n}\``).join(', ')}`,
  ].join('\n');
}

export const migration004: Migration = {
  version: 4,
  name: 'flow_metrics tables and rollups',
  statements: METRIC_TABLES.flatMap((t) => [
    rawTableSql(t, '1s'),
    rawTableSql(t, '1m'),
    ...ROLLUPS.flatMap((r) => [rollupTableSql(t, r.res, r.partition), rollupViewSql(t, r.res, r.bucket)]),
  ]),
};
