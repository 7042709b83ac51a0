export { CUSTOM_KEY_RE, findMetric, findTag, getTable, listTags, TABLES } from './catalog';
export * from './dictionaries';
export * from './enums';
export * from './resources';
export { sketchApdexSql } from './tables/flow-metrics';
export type * from './types';
