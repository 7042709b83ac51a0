/**
 * Flow identity shared by flow logs and request logs. `flow_id` is the pipeline's hash of the
 * client->server 5-tuple (pipeline/flow-id.ts), so a flow log and the request logs of the same
 * connection carry the same id; the table itself keys flows direction-independently.
 */
import type { FiveTuple } from '../capture/types';
import { flowId } from '../pipeline/flow-id';

/** Direction-independent map key: the lower endpoint first. */
export function flowKeyOf(t: FiveTuple): string {
  const a = `${t.srcIp}|${t.srcPort}`;
  const b = `${t.dstIp}|${t.dstPort}`;
  return a < b ? `${t.protocol}|${a}|${b}` : `${t.protocol}|${b}|${a}`;
}

/** `tuple` must be oriented client -> server (as request logs are). Below 2^53. */
export function flowIdOf(tuple: FiveTuple): number {
  return flowId(tuple);
}
