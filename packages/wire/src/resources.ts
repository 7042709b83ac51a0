/** Public entry of the resource report contract: model, diff and frame check. */

export { checkResourcesFrame } from './resources-check';
export { applyResourceDelta, diffCollection, diffResources, isEmptyDelta, sameValue } from './resources-diff';
export * from './resources-model';
