/**
 * `profile` (PRODUCT.md §2.7): folded stacks per 10 s interval, process and event type,
 * physical `profile.in_process`. One-ended like the server-side metric tables: the tag
 * ids are the `_1` columns, so `pod` and `pod_1` both name the sampled process's pod.
 */
import type { TableDef, TagDef } from '../types';
import { CUSTOM_TAG_FAMILIES, tag, universalTags } from './common';
import { counter, rowCount } from './metrics';

function processEnd(tags: readonly TagDef[]): TagDef[] {
  const out: TagDef[] = [];
  for (const t of tags) {
    if (t.source.kind === 'either') out.push({ ...t.source.ends[1], name: t.name });
    else if (!JSON.stringify(t.source).includes('_0')) out.push(t);
  }
  return out;
}

export const PROFILE: TableDef = {
  name: 'profile',
  physical: 'profile.in_process',
  description: 'CPU profiles: one folded stack per process, event type and 10 s interval',
  timeColumn: 'time',
  twoEnded: false,
  tags: [
    {
      name: 'time',
      type: 'time',
      description: 'start of the aggregation interval, seconds since the epoch',
      source: { kind: 'seconds', column: 'time' },
    },
    ...processEnd(universalTags()),
    tag('process_id', 'int', 'process_id', 'pid of the sampled process (as the agent saw it)'),
    tag('process_kname', 'string', 'process_kname', 'name of the sampled process'),
    tag('container_runtime_id', 'string', 'container_runtime_id', 'container id from the cgroup'),
    tag('event_type', 'enum', 'event_type', 'what was measured', [
      { value: 'on-cpu', description: 'CPU samples at 99 Hz' },
      { value: 'off-cpu', description: 'time blocked off CPU, in nanoseconds' },
    ]),
    tag('stack', 'string', 'stack', 'folded stack, root first, frames joined by ;'),
    tag('agent_id', 'int', 'agent_id', 'agent that sampled the row'),
  ],
  customTags: CUSTOM_TAG_FAMILIES,
  metrics: [
    rowCount,
    counter('value', 'value', 'samples or ns', 'samples (on-cpu) or nanoseconds (off-cpu)'),
  ],
};
