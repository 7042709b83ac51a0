export type { ProfileConfig } from './config';
export type { RawSample } from './keys';
export type { ProfileKernelStats, ProfileOptions, ProfileSnapshot } from './program';
export { Profiler } from './program';
