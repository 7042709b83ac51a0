export type { Statement } from './ast';
export {
  type CompiledSql,
  type CompileOptions,
  type CompileResult,
  compileQuery,
  DEFAULT_MAX_ROWS,
} from './compile';
export { QueryError, type QueryStage } from './errors';
export type { MetaResult } from './meta';
export { parse } from './parser';
