/**
 * Traces without a header trace id are named after their root record, so the id alone
 * finds the trace again: `zs-` + the record key's numbers in hex + the observation point.
 */
import type { RecordKey } from './types';

const POINTS = ['c-p', 's-p', 'c', 's', 'app'];

export function syntheticTraceId(k: RecordKey): string {
  const nums = [k.start_time, k.end_time, k.flow_id, k.request_id, k.agent_id].map((n) => n.toString(16));
  return `zs-${nums.join('-')}-${Math.max(0, POINTS.indexOf(k.observation_point))}`;
}

/** The record key inside a synthetic id, or undefined for a header trace id. */
export function parseSyntheticTraceId(id: string): RecordKey | undefined {
  const m =
    /^zs-([0-9a-f]{1,14})-([0-9a-f]{1,14})-([0-9a-f]{1,14})-([0-9a-f]{1,14})-([0-9a-f]{1,8})-([0-4])$/.exec(
      id,
    );
  if (!m) return undefined;
  const n = (i: number) => Number.parseInt(m[i]!, 16);
  return {
    start_time: n(1),
    end_time: n(2),
    flow_id: n(3),
    request_id: n(4),
    agent_id: n(5),
    observation_point: POINTS[n(6)]!,
  };
}
