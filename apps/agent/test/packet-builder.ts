/**
 * Builds link-layer frames and capture files in memory for tests: Ethernet/IPv4/IPv6 with
 * TCP or UDP, written as libpcap (either byte order, µs or ns) or pcapng.
 */

export interface TcpSpec {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  /** FIN=1 SYN=2 RST=4 PSH=8 ACK=16 */
  flags?: number;
  payload?: Uint8Array | string;
}

const bytes = (p: Uint8Array | string | undefined) =>
  p === undefined ? new Uint8Array(0) : typeof p === 'string' ? new Uint8Array(Buffer.from(p, 'latin1')) : p;

function ipv4Header(src: string, dst: string, proto: number, l4Len: number): Uint8Array {
  const h = new Uint8Array(20);
  const v = new DataView(h.buffer);
  h[0] = 0x45;
  v.setUint16(2, 20 + l4Len);
  h[8] = 64;
  h[9] = proto;
  h.set(src.split('.').map(Number), 12);
  h.set(dst.split('.').map(Number), 16);
  return h;
}

export function tcpSegment(t: TcpSpec): Uint8Array {
  const payload = bytes(t.payload);
  const h = new Uint8Array(20 + payload.length);
  const v = new DataView(h.buffer);
  v.setUint16(0, t.sport);
  v.setUint16(2, t.dport);
  v.setUint32(4, t.seq >>> 0);
  v.setUint32(8, (t.ack ?? 0) >>> 0);
  h[12] = 5 << 4;
  h[13] = t.flags ?? 0x18;
  v.setUint16(14, 65535);
  h.set(payload, 20);
  return h;
}

export function udpDatagram(sport: number, dport: number, payload: Uint8Array | string): Uint8Array {
  const p = bytes(payload);
  const h = new Uint8Array(8 + p.length);
  const v = new DataView(h.buffer);
  v.setUint16(0, sport);
  v.setUint16(2, dport);
  v.setUint16(4, 8 + p.length);
  h.set(p, 8);
  return h;
}

export function ethernet(l3: Uint8Array, etherType = 0x0800, vlan?: number): Uint8Array {
  const head = vlan === undefined ? 14 : 18;
  const f = new Uint8Array(head + l3.length);
  const v = new DataView(f.buffer);
  f.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2]);
  if (vlan !== undefined) {
    v.setUint16(12, 0x8100);
    v.setUint16(14, vlan);
    v.setUint16(16, etherType);
  } else v.setUint16(12, etherType);
  f.set(l3, head);
  return f;
}

export function ipv4(src: string, dst: string, proto: number, l4: Uint8Array): Uint8Array {
  const h = ipv4Header(src, dst, proto, l4.length);
  const out = new Uint8Array(h.length + l4.length);
  out.set(h);
  out.set(l4, h.length);
  return out;
}

export const tcpFrame = (t: TcpSpec) => ethernet(ipv4(t.src, t.dst, 6, tcpSegment(t)));

export interface CaptureFrame {
  ts: number;
  data: Uint8Array;
}

/** libpcap file; `nanos` writes ns timestamps, `bigEndian` a big-endian file. */
export function pcapFile(
  frames: CaptureFrame[],
  opts: { linkType?: number; nanos?: boolean; bigEndian?: boolean } = {},
) {
  const le = !opts.bigEndian;
  const size = 24 + frames.reduce((n, f) => n + 16 + f.data.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, opts.nanos ? 0xa1b23c4d : 0xa1b2c3d4, le);
  v.setUint16(4, 2, le);
  v.setUint16(6, 4, le);
  v.setUint32(16, 262144, le);
  v.setUint32(20, opts.linkType ?? 1, le);
  let p = 24;
  for (const f of frames) {
    v.setUint32(p, Math.floor(f.ts / 1e6), le);
    v.setUint32(p + 4, opts.nanos ? (f.ts % 1e6) * 1000 : f.ts % 1e6, le);
    v.setUint32(p + 8, f.data.length, le);
    v.setUint32(p + 12, f.data.length, le);
    out.set(f.data, p + 16);
    p += 16 + f.data.length;
  }
  return out;
}

/** pcapng with one interface; `tsresol` is the if_tsresol option byte (6 = µs, 9 = ns). */
export function pcapngFile(frames: CaptureFrame[], opts: { linkType?: number; tsresol?: number } = {}) {
  const blocks: Uint8Array[] = [];
  const block = (type: number, body: Uint8Array) => {
    const len = 12 + ((body.length + 3) & ~3);
    const b = new Uint8Array(len);
    const v = new DataView(b.buffer);
    v.setUint32(0, type, true);
    v.setUint32(4, len, true);
    b.set(body, 8);
    v.setUint32(len - 4, len, true);
    blocks.push(b);
  };
  const shb = new Uint8Array(16);
  new DataView(shb.buffer).setUint32(0, 0x1a2b3c4d, true);
  new DataView(shb.buffer).setUint16(4, 1, true);
  new DataView(shb.buffer).setBigInt64(8, -1n, true);
  block(0x0a0d0d0a, shb);
  const tsresol = opts.tsresol ?? 6;
  const idb = new Uint8Array(8 + 8 + 4);
  const iv = new DataView(idb.buffer);
  iv.setUint16(0, opts.linkType ?? 1, true);
  iv.setUint32(4, 262144, true);
  iv.setUint16(8, 9, true);
  iv.setUint16(10, 1, true);
  idb[12] = tsresol;
  block(1, idb);
  for (const f of frames) {
    const units = (BigInt(f.ts) * 10n ** BigInt(tsresol)) / 1_000_000n;
    const body = new Uint8Array(20 + f.data.length);
    const v = new DataView(body.buffer);
    v.setUint32(4, Number(units >> 32n), true);
    v.setUint32(8, Number(units & 0xffffffffn), true);
    v.setUint32(12, f.data.length, true);
    v.setUint32(16, f.data.length, true);
    body.set(f.data, 20);
    block(6, body);
  }
  return new Uint8Array(Buffer.concat(blocks));
}

/** A client/server TCP conversation with a handshake; returns frames with increasing ts. */
export class Conversation {
  readonly frames: CaptureFrame[] = [];
  cseq = 1000;
  sseq = 5000;
  ts = 1_700_000_000_000_000;

  constructor(
    readonly client = { ip: '10.0.0.1', port: 40000 },
    readonly server = { ip: '10.0.0.2', port: 80 },
  ) {}

  handshake(): this {
    this.push(true, '', 0x02);
    this.cseq++;
    this.push(false, '', 0x12);
    this.sseq++;
    this.push(true, '', 0x10);
    return this;
  }

  /** Segment from client (true) or server; advances that side's sequence unless `keepSeq`. */
  push(
    fromClient: boolean,
    payload: string | Uint8Array,
    flags = 0x18,
    opts: { seq?: number; dt?: number } = {},
  ): this {
    const c = this.client;
    const s = this.server;
    const seq = opts.seq ?? (fromClient ? this.cseq : this.sseq);
    const spec: TcpSpec = fromClient
      ? { src: c.ip, dst: s.ip, sport: c.port, dport: s.port, seq, ack: this.sseq, flags, payload }
      : { src: s.ip, dst: c.ip, sport: s.port, dport: c.port, seq, ack: this.cseq, flags, payload };
    this.ts += opts.dt ?? 100;
    this.frames.push({ ts: this.ts, data: tcpFrame(spec) });
    if (opts.seq === undefined) {
      const n = bytes(payload).length;
      if (fromClient) this.cseq += n;
      else this.sseq += n;
    }
    return this;
  }

  pcap(): Uint8Array {
    return pcapFile(this.frames);
  }
}
