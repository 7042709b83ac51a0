/** Public surface of alerting's pure core (benchmarks and tools outside the API). */
export { evaluate } from './evaluate';
export { planNotifications } from './group';
export { samplesOf, seriesKey } from './series';
export { TEMPLATES } from './templates';
export type { Rule, Sample, SeriesState } from './types';
