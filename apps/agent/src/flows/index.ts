export { flowIdOf, flowKeyOf } from './flow-id';
export type { FlowTable, FlowTableOptions, FlowTableStats } from './flow-table';
export { createFlowTable } from './flow-table';
