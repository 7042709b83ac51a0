/**
 * Packets -> stream chunks -> pipeline: TCP through reassembly, UDP datagrams oriented once
 * per flow. Time advances with packet timestamps, so replayed captures expire requests on
 * capture time, not wall time.
 */
import { TcpReassembler } from '../capture/reassembly';
import type { FiveTuple, Packet } from '../capture/types';
import { senderIsClient } from '../parsers/infer';
import { createPipeline, type Pipeline, type PipelineOptions } from './pipeline';

export interface PacketPipeline {
  push(p: Packet): void;
  flush(): void;
  readonly pipeline: Pipeline;
  readonly reassembler: TcpReassembler;
}

const TICK_US = 1_000_000;
const IDLE_US = 120_000_000;
const MAX_UDP_FLOWS = 65_536;

export function createPacketPipeline(opts: PipelineOptions): PacketPipeline {
  const pipeline = createPipeline(opts);
  const orient = (payload: Uint8Array, t: FiveTuple) =>
    senderIsClient(payload, t, pipeline.parsers, pipeline.cache);
  const reassembler = new TcpReassembler((c) => pipeline.push(c), {
    orient,
    onClose: (t) => pipeline.close(t),
  });
  /** canonical UDP flow key -> client endpoint */
  const udpClients = new Map<string, string>();
  let lastTick = 0;

  const pushUdp = (p: Packet) => {
    const t = p.tuple;
    const src = `${t.srcIp}:${t.srcPort}`;
    const dst = `${t.dstIp}:${t.dstPort}`;
    const key = src < dst ? `${src}|${dst}` : `${dst}|${src}`;
    let client = udpClients.get(key);
    if (client === undefined) {
      if (udpClients.size >= MAX_UDP_FLOWS) udpClients.clear();
      client = orient(p.payload, t) ? src : dst;
      udpClients.set(key, client);
    }
    const fromClient = client === src;
    pipeline.push({
      ts: p.ts,
      tuple: fromClient
        ? t
        : { protocol: 'udp', srcIp: t.dstIp, srcPort: t.dstPort, dstIp: t.srcIp, dstPort: t.srcPort },
      direction: fromClient ? 'request' : 'response',
      payload: p.payload,
      tcpSeq: 0,
      totalLength: p.payload.length,
      gap: false,
      source: 'packet',
    });
  };

  return {
    pipeline,
    reassembler,
    push(p) {
      if (p.tcp) reassembler.push(p);
      else if (p.payload.length > 0) pushUdp(p);
      // expire after delivering: this packet may have released bytes that answer old requests
      if (p.ts - lastTick >= TICK_US) {
        if (lastTick !== 0) {
          reassembler.expire(p.ts, IDLE_US);
          pipeline.tick(p.ts);
        }
        lastTick = p.ts;
      }
    },
    flush() {
      reassembler.flush();
      pipeline.flush();
    },
  };
}
