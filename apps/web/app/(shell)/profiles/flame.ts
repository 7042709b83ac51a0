/** The flame graph's React-free core, for the benchmark (bench/profiling) and other views. */
export { nameColors } from './flame-colors';
export { type FlameData, layoutTree, searchTree, type Viewport } from './flame-layout';
export { renderFlame } from './flame-render';
