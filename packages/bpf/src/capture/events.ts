/**
 * Decoding of the capture object's ring-buffer records. Offsets come from the object's
 * BTF (src/bpf/events.h is the only definition), resolved once per decoder.
 */
import { BpfError } from '../errors';
import type { BpfObject } from '../object';

export type SockSide = 'client' | 'server' | 'unknown';

/** Socket endpoints as this host sees them. */
export interface SockTuple {
  readonly l4: 'tcp' | 'udp';
  readonly localIp: string;
  readonly localPort: number;
  readonly remoteIp: string;
  readonly remotePort: number;
}

export interface DataEvent {
  kind: 'data' | 'tls';
  /** CLOCK_MONOTONIC ns (exact below 2^53 ns of uptime, ~104 days) */
  tsNs: number;
  /** the kernel's struct sock address, low 48 bits (unique: kernel pointers share the top 16) */
  sockId: number;
  traceId: number;
  tuple: SockTuple;
  /** false for TLS plaintext whose socket was not learned */
  hasTuple: boolean;
  pid: number;
  tid: number;
  fd: number;
  tcpSeq: number;
  capSeq: number;
  totalLength: number;
  syscall: number;
  direction: 'egress' | 'ingress';
  side: SockSide;
  sideGuessed: boolean;
  proto: string;
  comm: string;
  payload: Uint8Array;
}

export interface TcpEvent {
  kind: 'tcp_state' | 'retransmit' | 'connect';
  /** CLOCK_MONOTONIC ns (exact below 2^53 ns of uptime, ~104 days) */
  tsNs: number;
  /** the kernel's struct sock address, low 48 bits (unique: kernel pointers share the top 16) */
  sockId: number;
  tuple: SockTuple;
  pid: number;
  fd: number;
  seq: number;
  oldState: number;
  newState: number;
  side: SockSide;
  comm: string;
}

export interface ExecEvent {
  kind: 'exec';
  tsNs: number;
  pid: number;
  ppid: number;
  comm: string;
}

export type CaptureEvent = DataEvent | TcpEvent | ExecEvent;

/** enum zs_proto order in events.h */
export const PROTOCOLS = [
  'unknown',
  'http1',
  'http2',
  'tls',
  'mysql',
  'postgresql',
  'redis',
  'dns',
  'kafka',
  'mqtt',
  'amqp',
  'nats',
  'port_match',
] as const;

/** TCP states as numbered by the kernel (include/net/tcp_states.h) */
export const TCP_STATES = [
  '',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
  'NEW_SYN_RECV',
] as const;

const KIND_DATA = 1;
const KIND_TLS = 2;
const KIND_STATE = 3;
const KIND_RETRANS = 4;
const KIND_EXEC = 5;
const KIND_CONNECT = 6;
const SIDES: SockSide[] = ['unknown', 'client', 'server'];

export function formatIp(b: Uint8Array): string {
  const v4mapped = b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  if (v4mapped) return `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((b[i] ?? 0) << 8) | (b[i + 1] ?? 0)).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

function u48(buf: Buffer, off: number): number {
  return (buf.readUInt32LE(off + 4) & 0xffff) * 0x1_0000_0000 + buf.readUInt32LE(off);
}

function cstr(buf: Buffer, off: number, len: number): string {
  const end = buf.indexOf(0, off);
  return buf.toString('latin1', off, end < 0 || end > off + len ? off + len : end);
}

export interface DecodeStats {
  malformed: number;
}

type Offsets = ReturnType<typeof offsets>;

function offsets(obj: BpfObject) {
  const h = obj.layout('zs_header');
  const t = obj.layout('zs_tuple');
  const de = obj.layout('zs_data_event');
  const te = obj.layout('zs_tcp_event');
  const ee = obj.layout('zs_exec_event');
  if (de.offset('payload') !== de.size)
    throw new BpfError('layout', 22, 'zs_data_event: payload must start at sizeof()');
  const dt = de.offset('t');
  const tt = te.offset('t');
  // the decoder reads these through a Uint32Array over the batch (records are 8-aligned)
  const aligned = (what: string, o: number) => {
    if (o % 4) throw new BpfError('layout', 22, `${what} is not 4-byte aligned`);
    return o;
  };
  const word = (name: string) => aligned(`zs_data_event.${name}`, de.offset(name)) >> 2;
  aligned('zs_header.ts_ns', h.offset('ts_ns'));
  aligned('zs_data_event.comm', de.offset('comm'));
  for (const [what, base] of [
    ['zs_data_event.t', dt],
    ['zs_tcp_event.t', tt],
  ] as const) {
    aligned(`${what}.lport`, base + t.offset('lport'));
    aligned(`${what}.raddr`, base + t.offset('raddr'));
  }
  return {
    wSock: word('sock_id'),
    wTrace: word('trace_id'),
    wPid: word('pid'),
    wTid: word('tid'),
    wFd: word('fd'),
    wSeq: word('tcp_seq'),
    wCap: word('cap_seq'),
    wTotal: word('total_len'),
    wPlen: word('payload_len'),
    dataSize: de.size,
    tcpSize: te.size,
    execSize: ee.size,
    ts: h.offset('ts_ns'),
    kind: h.offset('kind'),
    laddr: t.offset('laddr'),
    raddr: t.offset('raddr'),
    lport: t.offset('lport'),
    rport: t.offset('rport'),
    l4: t.offset('l4'),
    dTuple: dt,
    dSock: de.offset('sock_id'),
    dTrace: de.offset('trace_id'),
    dPid: de.offset('pid'),
    dTid: de.offset('tid'),
    dFd: de.offset('fd'),
    dSeq: de.offset('tcp_seq'),
    dCap: de.offset('cap_seq'),
    dTotal: de.offset('total_len'),
    dPlen: de.offset('payload_len'),
    dSys: de.offset('syscall'),
    dDir: de.offset('direction'),
    dSide: de.offset('side'),
    dFlags: de.offset('side_flags'),
    dProto: de.offset('proto'),
    dComm: de.offset('comm'),
    tTuple: tt,
    tSock: te.offset('sock_id'),
    tPid: te.offset('pid'),
    tFd: te.offset('fd'),
    tSeq: te.offset('seq'),
    tOld: te.offset('oldstate'),
    tNew: te.offset('newstate'),
    tSide: te.offset('side'),
    tComm: te.offset('comm'),
    ePid: ee.offset('pid'),
    ePpid: ee.offset('ppid'),
    eComm: ee.offset('comm'),
  };
}

/** comm strings decoded once per thread; validated against the record's 16 bytes */
class CommCache {
  private readonly byTid = new Map<
    number,
    { w0: number; w1: number; w2: number; w3: number; comm: string }
  >();

  /** `at`: the comm's word index in `w` (4-aligned) */
  get(buf: Buffer, w: Uint32Array, at: number, tid: number): string {
    const w0 = w[at] ?? 0;
    const w1 = w[at + 1] ?? 0;
    const w2 = w[at + 2] ?? 0;
    const w3 = w[at + 3] ?? 0;
    const hit = this.byTid.get(tid);
    if (hit !== undefined && hit.w0 === w0 && hit.w1 === w1 && hit.w2 === w2 && hit.w3 === w3)
      return hit.comm;
    const comm = cstr(buf, at << 2, 16);
    if (this.byTid.size >= 65536) this.byTid.clear();
    this.byTid.set(tid, { w0, w1, w2, w3, comm });
    return comm;
  }
}

interface TupleEntry {
  sockId: number;
  key: number;
  addr: number;
  tuple: SockTuple;
}

export class EventDecoder {
  private readonly comms = new CommCache();
  readonly stats: DecodeStats = { malformed: 0 };
  private readonly d: Offsets;
  constructor(obj: BpfObject) {
    this.d = offsets(obj);
  }

  /** Decodes every record of a ring batch ([u32 size][u32 0][record][pad to 8]...); payloads are views into the batch. */
  decodeBatch(batch: Buffer, onEvent: (e: CaptureEvent) => void): void {
    // 32-bit fields are read through one aligned view per batch (records are 8-aligned)
    const b = batch.byteOffset % 4 === 0 ? batch : Buffer.from(batch);
    const w = new Uint32Array(b.buffer, b.byteOffset, b.length >> 2);
    const end = b.length;
    let off = 0;
    while (off + 8 <= end) {
      const size = w[off >> 2] ?? 0;
      const start = off + 8;
      if (start + size > end) return;
      const e = this.decode(b, w, start, size);
      if (e) onEvent(e);
      else this.stats.malformed++;
      off = start + ((size + 7) & ~7);
    }
  }

  /**
   * Tuples are formatted once per socket: events of a known socket reuse the object. The
   * cache is keyed by the socket address's low bits (a small integer) and checks the rest.
   */
  private readonly tuples = new Map<number, TupleEntry>();

  /** `base`: the tuple's byte offset in `buf` (4-aligned); `w` views the same bytes */
  private tuple(buf: Buffer, w: Uint32Array, base: number, sockId: number): SockTuple {
    const d = this.d;
    const key = w[(base + d.lport) >> 2] ?? 0; // lport | rport << 16
    const addr = w[(base + d.raddr + 12) >> 2] ?? 0;
    const slot = sockId % 0x4000_0000;
    const hit = sockId ? this.tuples.get(slot) : undefined;
    if (hit !== undefined && hit.sockId === sockId && hit.key === key && hit.addr === addr) return hit.tuple;
    const tuple: SockTuple = {
      l4: buf[base + d.l4] === 17 ? 'udp' : 'tcp',
      localIp: formatIp(buf.subarray(base + d.laddr, base + d.laddr + 16)),
      localPort: buf.readUInt16LE(base + d.lport),
      remoteIp: formatIp(buf.subarray(base + d.raddr, base + d.raddr + 16)),
      remotePort: buf.readUInt16LE(base + d.rport),
    };
    if (sockId) {
      if (this.tuples.size >= 65536) this.tuples.clear();
      this.tuples.set(slot, { sockId, key, addr, tuple });
    }
    return tuple;
  }

  /** `w` is a Uint32Array over the same bytes as `buf`, starting at buf.byteOffset. */
  decode(buf: Buffer, w: Uint32Array, off: number, size: number): CaptureEvent | undefined {
    const d = this.d;
    if (size < 16) return undefined;
    const kind = buf[off + d.kind];
    const tsNs = (w[(off + d.ts + 4) >> 2] ?? 0) * 0x1_0000_0000 + (w[(off + d.ts) >> 2] ?? 0);
    if (kind === KIND_DATA || kind === KIND_TLS) {
      if (size < d.dataSize) return undefined;
      const at = off >> 2;
      const plen = w[at + d.wPlen] ?? 0;
      if (d.dataSize + plen > size) return undefined;
      const sockId = ((w[at + d.wSock + 1] ?? 0) & 0xffff) * 0x1_0000_0000 + (w[at + d.wSock] ?? 0);
      const tid = w[at + d.wTid] ?? 0;
      return {
        kind: kind === KIND_DATA ? 'data' : 'tls',
        tsNs,
        sockId,
        traceId: (w[at + d.wTrace + 1] ?? 0) * 0x1_0000_0000 + (w[at + d.wTrace] ?? 0),
        tuple: this.tuple(buf, w, off + d.dTuple, sockId),
        hasTuple: sockId !== 0,
        pid: w[at + d.wPid] ?? 0,
        tid,
        fd: (w[at + d.wFd] ?? 0) | 0,
        tcpSeq: w[at + d.wSeq] ?? 0,
        capSeq: w[at + d.wCap] ?? 0,
        totalLength: w[at + d.wTotal] ?? 0,
        syscall: (buf[off + d.dSys] ?? 0) | ((buf[off + d.dSys + 1] ?? 0) << 8),
        direction: buf[off + d.dDir] === 0 ? 'egress' : 'ingress',
        side: SIDES[buf[off + d.dSide] ?? 0] ?? 'unknown',
        sideGuessed: ((buf[off + d.dFlags] ?? 0) & 1) !== 0,
        proto: PROTOCOLS[buf[off + d.dProto] ?? 0] ?? 'unknown',
        comm: this.comms.get(buf, w, (off + d.dComm) >> 2, tid),
        payload: new Uint8Array(buf.buffer, buf.byteOffset + off + d.dataSize, plen),
      };
    }
    if (kind === KIND_STATE || kind === KIND_RETRANS || kind === KIND_CONNECT) {
      if (size < d.tcpSize) return undefined;
      return {
        kind: kind === KIND_STATE ? 'tcp_state' : kind === KIND_RETRANS ? 'retransmit' : 'connect',
        tsNs,
        sockId: u48(buf, off + d.tSock),
        tuple: this.tuple(buf, w, off + d.tTuple, 0),
        pid: buf.readUInt32LE(off + d.tPid),
        fd: buf.readInt32LE(off + d.tFd),
        seq: buf.readUInt32LE(off + d.tSeq),
        oldState: buf[off + d.tOld] ?? 0,
        newState: buf[off + d.tNew] ?? 0,
        side: SIDES[buf[off + d.tSide] ?? 0] ?? 'unknown',
        comm: cstr(buf, off + d.tComm, 16),
      };
    }
    if (kind === KIND_EXEC) {
      if (size < d.execSize) return undefined;
      return {
        kind: 'exec',
        tsNs,
        pid: buf.readUInt32LE(off + d.ePid),
        ppid: buf.readUInt32LE(off + d.ePpid),
        comm: cstr(buf, off + d.eComm, 16),
      };
    }
    return undefined;
  }
}
