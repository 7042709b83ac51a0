export { FoldedAggregator, foldStack, parseFolded } from './folded';
export type { Profiling, ProfilingOptions, ProfilingStats } from './profiler';
export { foldSnapshot, NO_BUDGET_FRAME, startProfiling } from './profiler';
export { NODE_NO_PERF_MAP, Symbolizer } from './symbolizer';
