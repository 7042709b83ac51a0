/**
 * Skip indexes for trace assembly (apps/api/src/tracing/sql.ts): every search round after the
 * first asks l7_flow_log for TCP sequence numbers and syscall trace ids inside a time window;
 * bloom filters let those rounds read a few granules instead of the whole window.
 * Parts written before this migration are indexed as they merge.
 */
import type { Migration } from './types';

const COLUMNS = ['req_tcp_seq', 'resp_tcp_seq', 'syscall_trace_id_request', 'syscall_trace_id_response'];

export const migration008: Migration = {
  version: 8,
  name: 'l7_flow_log trace indexes',
  statements: COLUMNS.map(
    (c) =>
      `ALTER TABLE flow_log.l7_flow_log ADD INDEX IF NOT EXISTS idx_${c} \`${c}\` TYPE bloom_filter(0.01) GRANULARITY 1`,
  ),
};
