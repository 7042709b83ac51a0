/** `agent replay` emits flow logs beside request logs, with every §3.1 flow field. */

import type { AgentRecord } from '@zeroscope/wire';
import { FLOW_LOG_COLUMNS, TAG_ID_COLUMNS } from '@zeroscope/wire';
import { describe, expect, it } from 'vitest';
import { replayPcap } from '../src/replay';
import { FLOW_FIXTURES } from './flows-helpers';

async function collect(file: string): Promise<AgentRecord[]> {
  const out: AgentRecord[] = [];
  for await (const r of replayPcap(file)) out.push(r);
  return out;
}

describe('replay with flows', () => {
  it('http.pcap: one flow log per connection, same flow_id and protocol as its request log', async () => {
    const recs = await collect(`${FLOW_FIXTURES}/http.pcap`);
    const reqs = recs.filter((r) => r.kind === 'request_log');
    const flows = recs.filter((r) => r.kind === 'flow_log');
    expect(reqs.length).toBeGreaterThan(0);
    expect(flows.length).toBeGreaterThan(0);
    const tagNames = new Set(TAG_ID_COLUMNS.map((c) => c.name));
    for (const f of flows) {
      for (const c of FLOW_LOG_COLUMNS) if (!tagNames.has(c.name)) expect(f, c.name).toHaveProperty(c.name);
    }
    for (const r of reqs) {
      const f = flows.find((x) => x.flow_id === r.flow_id);
      expect(f, `flow of ${r.client_port}`).toBeDefined();
      expect(f).toMatchObject({
        l7_protocol: r.l7_protocol,
        client_port: r.client_port,
        server_port: r.server_port,
      });
    }
  });

  it('art-continues-payload-len-larger-than-1: flow ART equals the request log response time', async () => {
    const recs = await collect(`${FLOW_FIXTURES}/art-continues-payload-len-larger-than-1.pcap`);
    const flow = recs.find((r) => r.kind === 'flow_log');
    expect(flow).toMatchObject({
      art: 30_358,
      srt: 10_040,
      rtt: 30_548,
      close_type: 'normal',
      l7_protocol: 'http1',
    });
  });
});
