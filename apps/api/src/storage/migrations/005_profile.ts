/** CPU profiles (PRODUCT.md §2.7, §3.4): folded stacks per interval and process. */
import { PROFILE_COLUMNS } from '@zeroscope/wire/profile';
import { createTableSql, INGEST_COLUMNS, type TableSpec } from '../schema';
import type { Migration } from './types';

export const PROFILE_IN_PROCESS: TableSpec = {
  database: 'profile',
  name: 'in_process',
  columns: [
    ...PROFILE_COLUMNS,
    // never written (profiles have no address): the auto tags' ip arm reads it as '::'
    { name: 'ip_1', type: 'ip' },
    ...INGEST_COLUMNS,
  ],
  // flame graphs read one service/process and event type over a time range
  orderBy: ['toStartOfMinute(time)', 'auto_service_id_1', 'event_type', 'process_id', 'time'],
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
