/** Public surface of the telemetry storage (for benchmarks and tools outside the API). */
export { migrateTelemetry } from './migrate';
export { MIGRATIONS } from './migrations';
export { L7_FLOW_LOG } from './migrations/002_flow_log';
export { L7_ORDER_BY_016 as L7_ORDER_BY } from './migrations/016_l7_sort_codecs';
export { encodeNative } from './native';
export { clickhouseType, createTableSql, INGEST_COLUMNS } from './schema';
export { openTelemetryStore } from './telemetry';
export { StorageError, type TelemetryStore } from './types';
