/**
 * The live agent's capture sources: eBPF socket data for request logs when the kernel allows
 * it, AF_PACKET for flow logs on chosen interfaces, and AF_PACKET for request logs too when
 * eBPF is unavailable. Config changes that live in BPF read-only data (payload size, port and
 * process filters) reload the programs in-process.
 */
import type { FlowLog, RequestLog } from '@zeroscope/wire';
import type { AgentConfig } from '@zeroscope/wire/protocol';
import { type AfPacketCapture, startAfPacketCapture } from '../capture/afpacket';
import { type EbpfCapture, startEbpfCapture } from '../capture/ebpf';
import { decodeFrame, newDecodeStats } from '../capture/packet';
import { createFlowTable, type FlowTable } from '../flows';
import { createPacketPipeline, type PacketPipeline } from '../pipeline/packets';
import { createPipeline, type Pipeline } from '../pipeline/pipeline';
import type { RunArgs } from './args';

const LINKTYPE_ETHERNET = 1;

export interface CaptureSinks {
  onRecord(r: RequestLog): void;
  onFlowLog(f: FlowLog): void;
  log(line: string): void;
}

export interface CaptureHandle {
  applyConfig(config: AgentConfig): Promise<void>;
  /** pause (true) or resume socket capture, kept across a config reload; false when no socket capture runs (packet capture only) */
  shed(on: boolean): boolean;
  tick(nowUs: number): void;
  stop(): Promise<void>;
  describe(): string;
}

interface EbpfFilter {
  payloadSize: number;
  ports: number[];
  comms: string[];
}

const sameFilter = (a: EbpfFilter, b: EbpfFilter) => JSON.stringify(a) === JSON.stringify(b);

export async function startCapture(args: RunArgs, sinks: CaptureSinks): Promise<CaptureHandle> {
  const { log } = sinks;
  let filter: EbpfFilter = { payloadSize: 1024, ports: [], comms: [] };
  let ebpf: EbpfCapture | undefined;
  let ebpfPipeline: Pipeline | undefined;
  let shedding = false;

  const startEbpf = async () => {
    ebpfPipeline ??= createPipeline({ onRecord: sinks.onRecord });
    const pipeline = ebpfPipeline;
    ebpf = await startEbpfCapture({
      payloadSize: filter.payloadSize,
      ports: filter.ports,
      comms: filter.comms,
      excludePids: [process.pid],
      onChunk: (c) => pipeline.push(c),
      log,
    });
    if (shedding) ebpf.pause();
    const on = Object.entries(ebpf.features)
      .filter(([, f]) => f.enabled)
      .map(([k]) => k);
    log(`ebpf capture running (${on.join(', ')})`);
  };

  if (!args.noEbpf) {
    try {
      await startEbpf();
    } catch (e) {
      log(`ebpf capture unavailable: ${e instanceof Error ? e.message : String(e)}; falling back to packets`);
      ebpf = undefined;
    }
  }

  // Packets: flow logs on the chosen interfaces; request logs too when eBPF is off.
  const packetL7 = ebpf === undefined;
  const interfaces = args.interfaces.length > 0 ? args.interfaces : packetL7 ? ['lo'] : [];
  let flows: FlowTable | undefined;
  let packetPipeline: PacketPipeline | undefined;
  let afpacket: AfPacketCapture | undefined;
  if (interfaces.length > 0) {
    flows = createFlowTable({ onFlowLog: sinks.onFlowLog, signalSource: 'packet' });
    if (packetL7) packetPipeline = createPacketPipeline({ onRecord: sinks.onRecord, observationPoint: 'c' });
    const decodeStats = newDecodeStats();
    try {
      afpacket = await startAfPacketCapture({
        interfaces,
        log,
        onFrames: (frames) => {
          for (const f of frames) {
            const p = decodeFrame(LINKTYPE_ETHERNET, f.data, f.ts, decodeStats);
            if (!p) continue;
            flows?.push(p);
            packetPipeline?.push(p);
          }
        },
      });
      log(`packet capture on ${interfaces.join(', ')}${packetL7 ? ' (request logs and flows)' : ' (flows)'}`);
    } catch (e) {
      log(`packet capture unavailable: ${e instanceof Error ? e.message : String(e)}`);
      flows = undefined;
      packetPipeline = undefined;
    }
  }
  if (!ebpf && !afpacket) log('no capture source could start: run as root on Linux with BPF enabled');

  return {
    async applyConfig(config) {
      const next: EbpfFilter = {
        payloadSize: config.payloadSize,
        ports: config.portFilter,
        comms: config.processFilter,
      };
      if (sameFilter(next, filter)) return;
      filter = next;
      if (!ebpf) return;
      await ebpf.stop();
      try {
        await startEbpf();
      } catch (e) {
        ebpf = undefined;
        log(`ebpf reload with new config failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    shed(on) {
      shedding = on;
      if (on) ebpf?.pause();
      else ebpf?.resume();
      return ebpf !== undefined;
    },
    tick(nowUs) {
      ebpfPipeline?.tick(nowUs);
      flows?.tick(nowUs);
    },
    async stop() {
      await ebpf?.stop();
      await afpacket?.stop();
      ebpfPipeline?.flush();
      packetPipeline?.flush();
      flows?.flush();
    },
    describe() {
      const s = ebpf?.stats();
      const parts = [];
      if (s) parts.push(`ebpf_chunks=${s.chunks} ebpf_gaps=${s.gaps}`);
      if (afpacket) parts.push(`frames=${afpacket.stats().frames}`);
      if (ebpfPipeline) parts.push(`records=${ebpfPipeline.stats.records}`);
      return parts.join(' ');
    },
  };
}
