/**
 * The socket-capture program set: loads capture.bpf.o with the config, picks tp_btf or
 * raw_tp variants from the feature probe, attaches, and decodes the ring buffer in
 * batches. `stop()` is the one teardown path.
 */

import { availableParallelism } from 'node:os';
import { BpfError } from '../errors';
import { objectPath } from '../native';
import { type BpfMap, BpfObject, type Link } from '../object';
import { type Feature, type FeatureReport, probeFeatures } from '../probe';
import type { RingReader } from '../ring';
import { applyConfig, applyOwnRings, type CaptureConfig } from './config';
import { type DataEvent, EventDecoder, type ExecEvent, type TcpEvent } from './events';
import { listeningPorts } from './listen';
import { TlsAttacher } from './tls';

export interface CaptureOptions extends CaptureConfig {
  onData?(e: DataEvent): void;
  onTcp?(e: TcpEvent): void;
  onExec?(e: ExecEvent): void;
  log?(line: string): void;
  /** size of each CPU's socket-data ring in bytes (power of two); default 16 MiB / CPUs, within 1-8 MiB */
  ringBytes?: number;
  /** drain timer; default 10 ms */
  intervalMs?: number;
  /** TCP state/retransmission events; default true */
  tcpEvents?: boolean;
  /** extra binaries/libraries to attach the TLS uprobes to */
  tlsTargets?: string[];
}

/**
 * 16 MiB spread over the CPUs, each ring a power of two within 1-8 MiB: one busy CPU can
 * fill its own ring at ~400 MB/s while the reader is held up (bench/syscall drops 5% of
 * its records with 4 MiB rings on 2 CPUs, under 2% with 8 MiB).
 */
function ringBytes(opts: CaptureOptions): number {
  if (opts.ringBytes !== undefined) return opts.ringBytes;
  const per = (16 << 20) / Math.max(1, availableParallelism());
  return Math.min(8 << 20, Math.max(1 << 20, 2 ** Math.floor(Math.log2(per))));
}

export type CaptureFeature = 'socket_data' | 'tcp_events' | 'tls_uprobes' | 'exec_watch';

/** index order of enum zs_stat in events.h */
const STAT_NAMES = [
  'events',
  'drops',
  'filtered',
  'notL7',
  'unsupportedSyscall',
  'tlsEvents',
  'tcpEvents',
] as const;
export type KernelStats = Record<(typeof STAT_NAMES)[number], number>;

export interface CaptureStats extends KernelStats {
  batches: number;
  bytes: number;
  malformed: number;
  handlerErrors: number;
}

const GROUPS = {
  data: ['send', 'recv'],
  tcp: ['state', 'retrans'],
  exec: ['exec'],
} as const;
/** which twin of each tracepoint program loads here: tp_btf when it and the BTF cast it uses are allowed, else raw_tp */
function programVariant(hooks: FeatureReport): 'btf' | 'raw' | undefined {
  return hooks.tp_btf.enabled && hooks.btf_cast.enabled ? 'btf' : hooks.raw_tp.enabled ? 'raw' : undefined;
}

const TLS_PROGS = ['ssl_write_enter', 'ssl_write_exit', 'ssl_read_enter', 'ssl_read_exit'];

export class Capture {
  private readonly decoder: EventDecoder;
  private readonly reader: RingReader;
  private readonly tls?: TlsAttacher;
  private readonly stats_: BpfMap;
  private handlerErrors = 0;
  /** the socket-data programs' links while attached (pause() detaches them) */
  private dataLinks: Link[] = [];
  private dataEvents = 0;
  private stopped = false;

  private constructor(
    private readonly obj: BpfObject,
    readonly features: Record<CaptureFeature, Feature>,
    readonly hooks: FeatureReport,
    opts: CaptureOptions,
    tlsOn: boolean,
    ownBytes: number,
  ) {
    const log = opts.log ?? (() => {});
    this.decoder = new EventDecoder(obj);
    this.stats_ = obj.map('stats');
    if (tlsOn) this.tls = new TlsAttacher(obj, log);
    const guard = <E>(fn: ((e: E) => void) | undefined) =>
      fn
        ? (e: E) => {
            try {
              fn(e);
            } catch (err) {
              if (this.handlerErrors++ === 0) log(`capture: handler threw: ${String(err)}`);
            }
          }
        : undefined;
    const onData = guard(opts.onData);
    const onTcp = guard(opts.onTcp);
    const onExec = guard(opts.onExec);
    this.reader = obj.ring(
      'rings',
      (batch) =>
        this.decoder.decodeBatch(batch, (e) => {
          switch (e.kind) {
            case 'data':
            case 'tls':
              this.dataEvents++;
              onData?.(e);
              break;
            case 'exec':
              this.tls?.onExec(e.pid);
              onExec?.(e);
              break;
            default:
              onTcp?.(e);
          }
        }),
      {
        intervalMs: opts.intervalMs ?? 10,
        // with rings of our own for socket data, the kernel's carry only TLS, TCP and exec events
        perCpuBytes: ownBytes ? Math.max(1 << 18, ownBytes / 4) : ringBytes(opts),
        lengthAt: obj.layout('zs_header').offset('len'),
        own: ownBytes ? { map: 'data_rings', ctl: 'dring_ctl', bytes: ownBytes } : undefined,
      },
    );
  }

  static start(opts: CaptureOptions): Capture {
    const log = opts.log ?? (() => {});
    const hooks = probeFeatures();
    const variant = programVariant(hooks);
    if (!variant) {
      throw new BpfError(
        'capture',
        1,
        `eBPF capture unavailable: ${hooks.raw_tp.reason ?? hooks.bpf.reason}`,
      );
    }
    if (variant === 'raw') {
      const why = hooks.tp_btf.enabled ? `no bpf_rdonly_cast: ${hooks.btf_cast.reason}` : hooks.tp_btf.reason;
      log(`capture: tp_btf disabled (${why}); using raw_tp`);
    }
    const tcpOn = opts.tcpEvents !== false;
    const tlsOn = opts.tls !== false && hooks.uprobe.enabled;
    const obj = BpfObject.open(objectPath('capture'));
    try {
      applyConfig(obj, { ...opts, tls: tlsOn });
      const own = applyOwnRings(obj, opts, ringBytes(opts));
      const wanted = new Set<string>([
        ...GROUPS.data,
        ...(tcpOn ? GROUPS.tcp : []),
        ...(tlsOn ? GROUPS.exec : []),
      ]);
      for (const p of obj.programs()) {
        const m = /^(\w+)_(btf|raw)$/.exec(p.name);
        const on = m ? wanted.has(m[1] ?? '') && m[2] === variant : TLS_PROGS.includes(p.name) && tlsOn;
        obj.setAutoload(p.name, on);
      }
      obj.load();
      const listen = obj.map('listen_ports');
      for (const port of listeningPorts()) {
        const k = Buffer.alloc(2);
        k.writeUInt16LE(port);
        listen.update(k, Uint8Array.of(1));
      }
      const off = (reason: string): Feature => ({ enabled: false, reason });
      const features: Record<CaptureFeature, Feature> = {
        socket_data: { enabled: true },
        tcp_events: tcpOn ? { enabled: true } : off('disabled by configuration'),
        tls_uprobes: tlsOn
          ? { enabled: true }
          : off(
              opts.tls === false
                ? 'disabled by configuration'
                : `uprobes unavailable: ${hooks.uprobe.reason}`,
            ),
        exec_watch: tlsOn ? { enabled: true } : off('only needed for TLS uprobes'),
      };
      const cap = new Capture(obj, features, hooks, opts, tlsOn, own);
      for (const name of wanted)
        if (!(GROUPS.data as readonly string[]).includes(name)) obj.attach(`${name}_${variant}`);
      cap.resume(); // the socket-data programs
      cap.tls?.attachDefaults(opts.tlsTargets);
      for (const [k, f] of Object.entries(features))
        log(`capture: ${k}: ${f.enabled ? 'on' : `off (${f.reason})`}`);
      return cap;
    } catch (e) {
      obj.dispose();
      throw BpfError.from('capture', e);
    }
  }

  tlsTargets() {
    return this.tls?.targets ?? [];
  }

  stats(): CaptureStats {
    const k = {} as KernelStats;
    STAT_NAMES.forEach((name, i) => {
      k[name] = Number(this.stopped ? 0n : this.stats_.sumPerCpuU64(i));
    });
    return {
      ...k,
      events: this.dataEvents, // the kernel counts only losses
      batches: this.reader.batches,
      bytes: this.reader.bytes,
      malformed: this.decoder.stats.malformed,
      handlerErrors: this.handlerErrors,
    };
  }

  /**
   * Detaches the socket-data programs: sends and receives cost nothing again until
   * resume(); TCP, exec and TLS hooks stay. What moves meanwhile is not seen (the TCP
   * sequence numbers of the next messages show the gap). For an agent shedding load.
   */
  pause(): void {
    for (const l of this.dataLinks) l.detach();
    this.dataLinks = [];
  }

  resume(): void {
    if (this.stopped || this.dataLinks.length > 0) return;
    const variant = programVariant(this.hooks) ?? 'raw'; // start() loaded these
    this.dataLinks = GROUPS.data.map((name) => this.obj.attach(`${name}_${variant}`));
  }

  get paused(): boolean {
    return this.dataLinks.length === 0;
  }

  /** Delivers everything pending in the ring now. */
  drain(): void {
    if (!this.stopped) this.reader.drain();
  }

  stop(): void {
    if (this.stopped) return;
    if (!this.stopped) this.reader.drain(true);
    this.tls?.detachAll();
    this.obj.dispose();
    this.stopped = true;
  }
}
