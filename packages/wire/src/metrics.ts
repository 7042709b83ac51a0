/**
 * Column lists of the metric tables (PRODUCT.md §2.4), the agent -> API batch kinds that
 * carry them, and their row shape. One list per table: the agent fills rows with these
 * names, the codec encodes them, the API derives the ClickHouse DDL from them.
 *
 * Keys: window start (`start_time`, µs), agent, tag ids, and while tag enrichment is missing
 * the raw ends (`ip_1`/`server_port`, plus `ip_0` on edge tables). Values add up: every
 * value column is a sum except `*_max`, so rows for the same key and window (from several
 * agents, or a late record after its window was shipped) merge by summing.
 */
import { type Column, type ColumnType, TAG_ID_NAMES } from './columns';
import { sketchColumns } from './metrics-sketch';

export const METRIC_TABLES = ['application', 'application_map', 'network', 'network_map'] as const;
export type MetricTable = (typeof METRIC_TABLES)[number];
export const METRIC_RESOLUTIONS = ['1s', '1m'] as const;
export type MetricResolution = (typeof METRIC_RESOLUTIONS)[number];
/** Batch kind = physical table name in `flow_metrics`, e.g. `application_1m`. */
export type MetricKind = `${MetricTable}_${MetricResolution}`;
export const METRIC_KINDS: readonly MetricKind[] = METRIC_TABLES.flatMap((t) =>
  METRIC_RESOLUTIONS.map((r) => `${t}_${r}` as const),
);
export const RESOLUTION_US: Record<MetricResolution, number> = { '1s': 1_000_000, '1m': 60_000_000 };

/** How a value column merges across rows. */
export type MetricMerge = 'sum' | 'max';
export interface MetricValueColumn extends Column {
  readonly merge: MetricMerge;
}

const c = (name: string, type: ColumnType): Column => ({ name, type });
const sum = (name: string): MetricValueColumn => ({ name, type: 'u64', merge: 'sum' });
const max = (name: string): MetricValueColumn => ({ name, type: 'u64', merge: 'max' });
const ids = (end: 0 | 1) => TAG_ID_NAMES.map((n) => c(`${n}_${end}`, 'u32'));

export const LATENCY_SKETCH_COLUMNS = sketchColumns('latency');

const APP_KEYS = [
  c('start_time', 'u64'),
  c('agent_id', 'u32'),
  c('server_port', 'u16'),
  c('protocol', 'lowcard'),
  c('l7_protocol', 'lowcard'),
  c('endpoint', 'string'),
  c('observation_point', 'lowcard'),
  c('signal_source', 'lowcard'),
];
const NET_KEYS = [
  c('start_time', 'u64'),
  c('agent_id', 'u32'),
  c('server_port', 'u16'),
  c('protocol', 'lowcard'),
  c('l7_protocol', 'lowcard'),
  c('signal_source', 'lowcard'),
];

export const METRIC_KEY_COLUMNS: Record<MetricTable, readonly Column[]> = {
  application: [...APP_KEYS, c('ip_1', 'ip'), ...ids(1)],
  application_map: [...APP_KEYS, c('ip_0', 'ip'), c('ip_1', 'ip'), ...ids(0), ...ids(1)],
  network: [...NET_KEYS, c('ip_1', 'ip'), ...ids(1)],
  network_map: [...NET_KEYS, c('ip_0', 'ip'), c('ip_1', 'ip'), ...ids(0), ...ids(1)],
};

const APP_VALUES: readonly MetricValueColumn[] = [
  sum('requests'),
  sum('responses'),
  sum('client_error'),
  sum('server_error'),
  sum('timeout'),
  /** µs, over responses */
  sum('latency_sum'),
  sum('latency_count'),
  max('latency_max'),
  sum('request_bytes'),
  sum('response_bytes'),
  ...LATENCY_SKETCH_COLUMNS.map(sum),
];

const NET_VALUES: readonly MetricValueColumn[] = [
  sum('byte_tx'),
  sum('byte_rx'),
  sum('packet_tx'),
  sum('packet_rx'),
  /** flow-log rows, flows that started, flows that ended in the window */
  sum('flow'),
  sum('new_flow'),
  sum('closed_flow'),
  /** µs; sums and counts over flow logs that measured one */
  sum('rtt_sum'),
  sum('rtt_count'),
  max('rtt_max'),
  sum('srt_sum'),
  sum('srt_count'),
  sum('art_sum'),
  sum('art_count'),
  sum('retrans_tx'),
  sum('retrans_rx'),
  sum('zero_win_tx'),
  sum('zero_win_rx'),
  /** close types: server_syn_miss + client_ack_miss, and the individual failure kinds */
  sum('conn_failed'),
  sum('server_syn_miss'),
  sum('client_ack_miss'),
  sum('client_rst'),
  sum('server_rst'),
  sum('close_timeout'),
];

export const METRIC_VALUE_COLUMNS: Record<MetricTable, readonly MetricValueColumn[]> = {
  application: APP_VALUES,
  application_map: APP_VALUES,
  network: NET_VALUES,
  network_map: NET_VALUES,
};

/** Full column list of a metric table (keys then values), the wire and DDL order. */
export const METRIC_COLUMNS: Record<MetricTable, readonly Column[]> = {
  application: [...METRIC_KEY_COLUMNS.application, ...APP_VALUES],
  application_map: [...METRIC_KEY_COLUMNS.application_map, ...APP_VALUES],
  network: [...METRIC_KEY_COLUMNS.network, ...NET_VALUES],
  network_map: [...METRIC_KEY_COLUMNS.network_map, ...NET_VALUES],
};

export function metricTableOf(kind: MetricKind): MetricTable {
  return kind.slice(0, -3) as MetricTable;
}

export const isMetricKind = (k: string): k is MetricKind => (METRIC_KINDS as readonly string[]).includes(k);

/** One aggregated row: key and value columns by name. */
export type MetricRow = Record<string, number | string>;
/** What the aggregator hands the sender (and `replay --metrics` prints as `kind: "metric"`). */
export type MetricRecord = { kind: MetricKind } & MetricRow;
