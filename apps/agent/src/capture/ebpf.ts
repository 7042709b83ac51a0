/**
 * eBPF capture source: kernel socket events -> StreamChunks. The kernel already ordered
 * each socket's bytes and knows the process; this adapter only orients tuples
 * client -> server, converts clocks and marks gaps from the per-socket capture sequence.
 */
import { BpfError, describeFeatures, type Feature, type FeatureReport, probeFeatures } from '@zeroscope/bpf';
import {
  Capture,
  type CaptureStats,
  type DataEvent,
  type SockTuple,
  type TcpEvent,
} from '@zeroscope/bpf/capture';
import type { FiveTuple, StreamChunk } from './types';

export interface EbpfCaptureOptions {
  /** payload bytes copied per message; default 1024 */
  payloadSize?: number;
  excludePids?: number[];
  pids?: number[];
  ports?: number[];
  comms?: string[];
  /** TLS plaintext through uprobes; default true */
  tls?: boolean;
  onChunk(chunk: StreamChunk): void;
  onTcpEvent?(e: TcpEvent): void;
  log?(line: string): void;
}

export interface EbpfCaptureStats extends CaptureStats {
  chunks: number;
  gaps: number;
  /** TLS plaintext whose socket could not be learned (not emitted) */
  tlsWithoutSocket: number;
}

export interface EbpfCapture {
  stop(): Promise<void>;
  /** detach / reattach the socket-data probes (the agent's overload guard) */
  pause(): void;
  resume(): void;
  features: Record<string, Feature>;
  stats(): EbpfCaptureStats;
}

/** CLOCK_MONOTONIC ns (bpf_ktime_get_ns) -> µs since epoch. */
export function monotonicClock(): (tsNs: number) => number {
  const mono = Number(process.hrtime.bigint());
  const epochUs = Date.now() * 1000;
  return (tsNs) => Math.round(epochUs + (tsNs - mono) / 1000);
}

/** Tracks the per-socket capture sequence: a hole means the kernel lost an event. */
export class GapTracker {
  private readonly last = new Map<number, number>();
  constructor(private readonly max = 100_000) {}

  /**
   * true when events of this socket were lost since the previous one. Sequence 0 starts a
   * socket over: the kernel reuses a closed socket's memory (hence its id) for new ones, and
   * a close this tracker never heard of must not make the new connection's next event a
   * "gap" (the session would drop that message).
   */
  next(sockId: number, capSeq: number): boolean {
    const prev = this.last.get(sockId);
    if (prev === undefined && this.last.size >= this.max) this.last.clear();
    this.last.set(sockId, capSeq);
    return prev !== undefined && capSeq !== 0 && capSeq !== (prev + 1) >>> 0;
  }

  forget(sockId: number): void {
    this.last.delete(sockId);
  }
}

// The decoder hands out one SockTuple object per socket; its client->server orientation
// is built once too, so the pipeline finds the connection by object, not by string key.
const oriented = new WeakMap<SockTuple, { client?: FiveTuple; server?: FiveTuple }>();

function orient(t: SockTuple, side: 'client' | 'server'): FiveTuple {
  let o = oriented.get(t);
  if (!o) {
    o = {};
    oriented.set(t, o);
  }
  o[side] ??=
    side === 'client'
      ? { protocol: t.l4, srcIp: t.localIp, srcPort: t.localPort, dstIp: t.remoteIp, dstPort: t.remotePort }
      : { protocol: t.l4, srcIp: t.remoteIp, srcPort: t.remotePort, dstIp: t.localIp, dstPort: t.localPort };
  return o[side];
}

/** Converts one kernel data event; undefined when it cannot be placed on a connection. */
export function toStreamChunk(e: DataEvent, ts: number, gap: boolean): StreamChunk | undefined {
  if (!e.hasTuple) return undefined;
  const t = e.tuple;
  // the kernel decides the side for every socket (connect/accept, listening port, port heuristic)
  const side = e.side === 'unknown' ? (t.localPort < t.remotePort ? 'server' : 'client') : e.side;
  const tuple = orient(t, side);
  const sent = e.direction === 'egress';
  return {
    ts,
    tuple,
    direction: (side === 'client') === sent ? 'request' : 'response',
    payload: e.payload,
    tcpSeq: e.tcpSeq,
    totalLength: Math.max(e.totalLength, e.payload.length),
    gap,
    source: 'ebpf',
    process: { pid: e.pid, tid: e.tid, comm: e.comm, fd: e.fd, syscallTraceId: e.traceId, side },
  };
}

/** What this kernel allows, and a log line per disabled hook type. */
export function probeEbpf(): { report: FeatureReport; lines: string[]; usable: boolean } {
  const report = probeFeatures();
  return {
    report,
    lines: describeFeatures(report),
    usable: report.tp_btf.enabled || report.raw_tp.enabled,
  };
}

const CLOSE = 7;

export async function startEbpfCapture(opts: EbpfCaptureOptions): Promise<EbpfCapture> {
  const log = opts.log ?? (() => {});
  const probe = probeEbpf();
  for (const line of probe.lines) if (line.includes('disabled')) log(`ebpf: ${line}`);
  if (!probe.usable) {
    const why = probe.report.raw_tp.reason ?? probe.report.bpf.reason ?? 'unknown';
    throw new BpfError('capture', 1, `eBPF capture unavailable (${why}); use packet capture instead`);
  }
  const clock = monotonicClock();
  const gaps = new GapTracker();
  const counters = { chunks: 0, gaps: 0, tlsWithoutSocket: 0 };
  const cap = Capture.start({
    payloadSize: opts.payloadSize,
    excludePids: opts.excludePids,
    pids: opts.pids,
    ports: opts.ports,
    comms: opts.comms,
    tls: opts.tls,
    log,
    onData: (e) => {
      const gap = e.hasTuple ? gaps.next(e.sockId, e.capSeq) : false;
      const chunk = toStreamChunk(e, clock(e.tsNs), gap);
      if (!chunk) {
        counters.tlsWithoutSocket++;
        return;
      }
      counters.chunks++;
      if (gap) counters.gaps++;
      opts.onChunk(chunk);
    },
    onTcp: (e) => {
      if (e.kind === 'tcp_state' && e.newState === CLOSE) gaps.forget(e.sockId);
      opts.onTcpEvent?.(e);
    },
  });
  const features: Record<string, Feature> = { ...probe.report, ...cap.features };
  return {
    features,
    stats: () => ({ ...cap.stats(), ...counters }),
    pause: () => cap.pause(),
    resume: () => cap.resume(),
    stop: async () => {
      cap.stop();
    },
  };
}
