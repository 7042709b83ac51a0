/**
 * Request logs re-keyed and re-coded for size (PRODUCT.md §4: <= 40 B/row; measured by
 * bench/storage/run.ts). Within a minute, rows of one server service are now grouped by its
 * instance and the calling service before time, so both ends' tag ids come in long runs;
 * integer columns get T64 (byte mode; drops the unused high bits of small ids, ports, lengths) before
 * ZSTD. The service prefix of the key, which the map and service filters read, is unchanged.
 *
 * ORDER BY cannot be rearranged in place: a copy with the new key (`CREATE ... AS` keeps
 * every column, codec and skip index, including ones later migrations added) takes the data,
 * then the two tables swap names. Rerunning after a crash at any step is safe: the first
 * statement drops a half-built or already-swapped-out copy.
 */
import { REQUEST_LOG_COLUMNS } from '@zeroscope/wire/columns';
import { clickhouseType, engineSql, INGEST_COLUMNS } from '../schema';
import { L7_FLOW_LOG } from './002_flow_log';
import type { Migration } from './types';

export const L7_ORDER_BY_016 = [
  'toStartOfMinute(start_time)',
  'auto_service_id_1',
  'auto_instance_id_1',
  'auto_service_id_0',
  'l7_protocol',
  'start_time',
] as const;

/** Integer columns that take T64: all but the times and the delta-coded batch id. */
const T64_COLUMNS = [...REQUEST_LOG_COLUMNS, ...INGEST_COLUMNS].filter(
  (c) =>
    ['u8', 'u16', 'u32', 'u64', 'i64'].includes(c.type) &&
    !['start_time', 'end_time', '_batch'].includes(c.name),
);

const TABLE = 'flow_log.l7_flow_log';
const COPY = 'flow_log.l7_flow_log_v016';

export const migration016: Migration = {
  version: 16,
  name: 'l7_flow_log sort key and T64 codecs',
  statements: [
    `DROP TABLE IF EXISTS ${COPY}`,
    `CREATE TABLE IF NOT EXISTS ${COPY} AS ${TABLE}\n${engineSql({ ...L7_FLOW_LOG, orderBy: L7_ORDER_BY_016 })}`,
    ...T64_COLUMNS.map(
      (c) => `ALTER TABLE ${COPY} MODIFY COLUMN \`${c.name}\` ${clickhouseType(c)} CODEC(T64, ZSTD(1))`,
    ),
    `INSERT INTO ${COPY} SELECT * FROM ${TABLE}`,
    `EXCHANGE TABLES ${TABLE} AND ${COPY}`,
    `DROP TABLE IF EXISTS ${COPY}`,
  ],
};
