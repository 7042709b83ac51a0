/** Feeds capture files through the pipeline's pcap reader + decoder into a flow table. */
import { readFileSync } from 'node:fs';
import type { FlowLog } from '@zeroscope/wire';
import { decodeFrame } from '../src/capture/packet';
import { readCapture } from '../src/capture/pcap';
import type { Packet } from '../src/capture/types';
import { createFlowTable, type FlowTableOptions, type FlowTableStats } from '../src/flows';

export const FLOW_FIXTURES = '/work/shared/fixtures/deepflow/agent/resources/test/flow_generator';

export function packetsOf(path: string): Packet[] {
  const out: Packet[] = [];
  for (const fr of readCapture(readFileSync(path))) {
    const p = decodeFrame(fr.linkType, fr.data, fr.ts);
    if (!p) continue;
    if (p.tcp && p.payloadLength === undefined) {
      const len = ethIpv4TcpPayloadLength(fr.linkType, fr.data);
      if (len !== undefined && len > p.payload.length) p.payloadLength = len;
    }
    out.push(p);
  }
  return out;
}

/**
 * TCP payload length from the IP total length, for snaplen-cut frames (xiangdao-retrans);
 * used only while the decoder does not fill `Packet.payloadLength` itself.
 */
function ethIpv4TcpPayloadLength(linkType: number, d: Uint8Array): number | undefined {
  if (linkType !== 1 || d.length < 34 || d[12] !== 0x08 || d[13] !== 0x00) return undefined;
  const ihl = (d[14]! & 0x0f) * 4;
  const total = (d[16]! << 8) | d[17]!;
  const tcpOff = 14 + ihl + 12;
  if (tcpOff >= d.length) return undefined;
  return total - ihl - (d[tcpOff]! >> 4) * 4;
}

export interface FlowRun {
  logs: FlowLog[];
  stats: FlowTableStats;
}

export function runFlows(
  packets: Packet[],
  opts: Omit<FlowTableOptions, 'onFlowLog'> = {},
  flush = true,
): FlowRun {
  const logs: FlowLog[] = [];
  const table = createFlowTable({ ...opts, onFlowLog: (f) => logs.push(f) });
  for (const p of packets) table.push(p);
  if (flush) table.flush();
  return { logs, stats: table.stats() };
}

/** The single flow log of a one-connection fixture. */
export function onlyFlow(name: string): FlowLog {
  const { logs } = runFlows(packetsOf(`${FLOW_FIXTURES}/${name}`));
  if (logs.length !== 1) throw new Error(`${name}: expected one flow log, got ${logs.length}`);
  return logs[0]!;
}
