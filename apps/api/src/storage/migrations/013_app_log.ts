/** OTLP log records (PRODUCT.md §2.8) in `flow_log.app_log`, joinable to traces by trace_id. */
import type { Column } from '@zeroscope/wire/columns';
import { INTAKE_TAG_COLUMNS } from '../../intake/resource-tags';
import { createTableSql, type TableSpec } from '../schema';
import type { Migration } from './types';

export const APP_LOG_COLUMNS: readonly Column[] = [
  { name: 'time', type: 'u64' },
  { name: 'trace_id', type: 'string' },
  { name: 'span_id', type: 'string' },
  { name: 'severity_number', type: 'u8' },
  { name: 'severity_text', type: 'lowcard' },
  { name: 'service', type: 'lowcard' },
  { name: 'scope', type: 'lowcard' },
  { name: 'body', type: 'string' },
  { name: 'signal_source', type: 'lowcard' },
  { name: 'attribute_names', type: 'strings' },
  { name: 'attribute_values', type: 'strings' },
  ...INTAKE_TAG_COLUMNS,
];

export const APP_LOG: TableSpec = {
  database: 'flow_log',
  name: 'app_log',
  columns: APP_LOG_COLUMNS,
  orderBy: ['toStartOfMinute(time)', 'service', 'time'],
  partitionBy: 'toStartOfHour(time)',
  ttl: { column: 'time', days: 7 },
  bloomFilters: ['trace_id'],
};

export const migration013: Migration = {
  version: 13,
  name: 'flow_log.app_log',
  statements: [createTableSql(APP_LOG)],
};
