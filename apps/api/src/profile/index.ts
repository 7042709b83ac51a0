/** Profile transforms for other workspaces (bench): pure functions over folded stacks. */
export { encodePprof, encodeProfile } from './pprof';
export { type FunctionRow, topFunctions } from './top';
export { buildFlameTree, type FlameTree, type FoldedRow, subtreeEnd } from './tree';
