/**
 * `agent replay`: a capture file through the same pipeline the live agent runs, producing
 * request logs deterministically (how parsers are tested).
 */
import { readFile } from 'node:fs/promises';
import type { AgentRecord, FlowLog, L7Protocol, RequestLog } from '@zeroscope/wire';
import { type DecodeStats, decodeFrame, newDecodeStats } from './capture/packet';
import { type ReadStats, readCapture } from './capture/pcap';
import { createReplayFlows } from './flows/replay-flows';
import { createPacketPipeline } from './pipeline/packets';
import type { PipelineStats } from './pipeline/pipeline';

export interface ReplayOptions {
  timeoutUs?: number;
  protocols?: readonly L7Protocol[];
  observationPoint?: 'c' | 's';
  agentId?: number;
  /** also run the flow table over the packets (flows/) and hand it each flow log */
  onFlowLog?: (f: FlowLog) => void;
}

export interface ReplayStats {
  read: ReadStats;
  decode: DecodeStats;
  pipeline: PipelineStats;
}

/** Replay capture bytes synchronously; records come out in completion order. */
export function replayBytes(
  bytes: Uint8Array,
  opts: ReplayOptions = {},
  stats?: Partial<ReplayStats>,
): RequestLog[] {
  const out: RequestLog[] = [];
  const flows = opts.onFlowLog ? createReplayFlows(opts.onFlowLog, opts.agentId) : undefined;
  const pp = createPacketPipeline({
    ...opts,
    onRecord: (r) => {
      out.push(r);
      flows?.onRecord(r);
    },
  });
  const read: ReadStats = { frames: 0 };
  const decode = newDecodeStats();
  for (const f of readCapture(bytes, read)) {
    const p = decodeFrame(f.linkType, f.data, f.ts, decode);
    if (p) {
      pp.push(p);
      flows?.push(p);
    }
  }
  pp.flush();
  flows?.flush();
  if (stats) {
    stats.read = read;
    stats.decode = decode;
    stats.pipeline = pp.pipeline.stats;
  }
  return out;
}

/** Replay a pcap/pcapng file into `request_log` records, then its `flow_log` records. */
export async function* replayPcap(
  file: string,
  opts: ReplayOptions = {},
  stats?: Partial<ReplayStats>,
): AsyncIterable<AgentRecord> {
  const bytes = await readFile(file);
  const flowLogs: FlowLog[] = [];
  const requests = replayBytes(bytes, { ...opts, onFlowLog: (f) => flowLogs.push(f) }, stats);
  for (const r of requests) yield { kind: 'request_log', ...r };
  for (const f of flowLogs) yield { kind: 'flow_log', ...f };
}
