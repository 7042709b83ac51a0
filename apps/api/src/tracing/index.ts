/** Public surface of trace assembly (for benchmarks and other API parts such as the Tempo-style API). */
export { assemble } from './assemble';
export { TraceError } from './errors';
export { TRACE_ROW_COLUMNS, type TraceRow } from './row';
export { searchTraces } from './search';
export { traceSearchInput } from './search-sql';
export { DEFAULT_SEARCH_OPTIONS, findTrace, type SearchOptions, type TraceSource } from './store';
export { parseSyntheticTraceId, syntheticTraceId } from './trace-id';
export type * from './types';
