export type { ProfileConfig } from './config';
export type { RawSample } from './keys';
export type { ProfileKernelStats, ProfileOptions, ProfileSnapshot } from './program';
export { NO_BUDGET_STACK, Profiler } from './program';
