/** Request logs and flow logs (PRODUCT.md §3.1, §3.4), generated from the shared column lists. */
import { FLOW_LOG_COLUMNS, REQUEST_LOG_COLUMNS } from '@zeroscope/wire/columns';
import { createTableSql, INGEST_COLUMNS, type TableSpec } from '../schema';
import type { Migration } from './types';

export const L7_FLOW_LOG: TableSpec = {
  database: 'flow_log',
  name: 'l7_flow_log',
  columns: [...REQUEST_LOG_COLUMNS, ...INGEST_COLUMNS],
  orderBy: ['toStartOfMinute(start_time)', 'auto_service_id_1', 'l7_protocol', 'start_time'],
  partitionBy: 'toStartOfHour(start_time)',
  ttl: { column: 'start_time', days: 7 },
  bloomFilters: ['trace_id', 'x_request_id_0', 'x_request_id_1', 'request_resource', 'endpoint'],
  minmax: ['_batch'],
};

export const L4_FLOW_LOG: TableSpec = {
  database: 'flow_log',
  name: 'l4_flow_log',
  columns: [...FLOW_LOG_COLUMNS, ...INGEST_COLUMNS],
  orderBy: ['toStartOfMinute(start_time)', 'auto_service_id_1', 'server_port', 'start_time'],
  partitionBy: 'toStartOfHour(start_time)',
  ttl: { column: 'start_time', days: 7 },
  bloomFilters: [],
  minmax: ['_batch'],
};

export const migration002: Migration = {
  version: 2,
  name: 'flow_log tables',
  statements: [createTableSql(L7_FLOW_LOG), createTableSql(L4_FLOW_LOG)],
};
