export * from './codec';
export * from './columns';
export * from './metrics';
export * from './metrics-sketch';
export * from './protocol';
export * from './records';
