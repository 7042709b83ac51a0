/** CPU profiles (PRODUCT.md §2.7, §3.4): folded stacks per interval and process. */
import { PROFILE_COLUMNS } from '@zeroscope/wire/profile';
import { createTableSql, INGEST_COLUMNS, type TableSpec } from '../schema';
import type { Migration } from './types';

export const PROFILE_IN_PROCESS: TableSpec = {
  database: 'profile',
  name: 'in_process',
  columns: [...PROFILE_COLUMNS, ...INGEST_COLUMNS],
  orderBy: ['toStartOfMinute(time)', 'process_kname', 'event_type', 'time'],
  partitionBy: 'toStartOfHour(time)',
  ttl: { column: 'time', days: 3 },
  bloomFilters: [],
  minmax: ['_batch'],
};

export const migration005: Migration = {
  version: 5,
  name: 'profile.in_process',
  statements: [createTableSql(PROFILE_IN_PROCESS)],
};
