/**
 * TCP reassembly per direction into ordered `StreamChunk`s. Retransmitted bytes are dropped
 * (overlaps trimmed), out-of-order segments wait in a bounded buffer, and when the bound is hit
 * (or the stream ends) the hole is skipped and the next chunk carries `gap: true`.
 * The client is the sender of a SYN without ACK; connections joined midway ask `orient`.
 */
import type { FiveTuple, Packet, StreamChunk } from './types';

export interface ReassemblyOptions {
  /** out-of-order segments held per direction before skipping the hole */
  maxBufferedSegments?: number;
  maxBufferedBytes?: number;
  /** a hole older than this (capture time, µs) is skipped even without an ACK past it */
  holeTimeoutUs?: number;
  /** connections tracked at once; the oldest is evicted past this */
  maxConnections?: number;
  /** for connections without a seen handshake: is the sender of `payload` the client? */
  orient?: (payload: Uint8Array, tuple: FiveTuple) => boolean;
  onClose?: (tuple: FiveTuple) => void;
}

export interface ReassemblyStats {
  chunks: number;
  retransmittedBytes: number;
  gaps: number;
  evicted: number;
}

interface Segment {
  seq: number;
  payload: Uint8Array;
  ts: number;
}

interface Half {
  /** next expected sequence number; undefined until the first SYN or payload */
  next: number | undefined;
  pending: Segment[];
  pendingBytes: number;
  gap: boolean;
}

interface Conn {
  /** canonical endpoints (the lower one first), for the index */
  aIp: string;
  aPort: number;
  bIp: string;
  bPort: number;
  /** which endpoint is the client once known: 0 = the key's first endpoint, 1 = its second */
  client: 0 | 1 | undefined;
  tuple: FiveTuple | undefined;
  /** indexed like `client` by sending endpoint */
  halves: [Half, Half];
  lastTs: number;
  closed: number;
}

const seqDiff = (a: number, b: number) => (a - b) | 0;

type PortIndex = Map<number, Map<number, Conn>>;

function getOrAdd<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) {
    v = make();
    m.set(k, v);
  }
  return v;
}

/**
 * Connections by canonical endpoints, nested so a lookup hashes the (interned) IP strings and
 * small-integer ports instead of building a key string for every packet.
 */
class ConnIndex {
  private readonly byIp = new Map<string, Map<string, PortIndex>>();

  get(aIp: string, aPort: number, bIp: string, bPort: number): Conn | undefined {
    return this.byIp.get(aIp)?.get(bIp)?.get(aPort)?.get(bPort);
  }

  set(c: Conn): void {
    const m1 = getOrAdd(this.byIp, c.aIp, () => new Map<string, PortIndex>());
    const m2 = getOrAdd(m1, c.bIp, (): PortIndex => new Map());
    getOrAdd(m2, c.aPort, () => new Map<number, Conn>()).set(c.bPort, c);
  }

  delete(c: Conn): void {
    const m1 = this.byIp.get(c.aIp);
    const m2 = m1?.get(c.bIp);
    const m3 = m2?.get(c.aPort);
    if (!m1 || !m2 || !m3) return;
    m3.delete(c.bPort);
    if (m3.size === 0) m2.delete(c.aPort);
    if (m2.size === 0) m1.delete(c.bIp);
    if (m1.size === 0) this.byIp.delete(c.aIp);
  }
}
const newHalf = (): Half => ({ next: undefined, pending: [], pendingBytes: 0, gap: false });

export class TcpReassembler {
  readonly stats: ReassemblyStats = { chunks: 0, retransmittedBytes: 0, gaps: 0, evicted: 0 };
  /** insertion order = age, for eviction and expiry */
  private readonly conns = new Set<Conn>();
  private readonly index = new ConnIndex();
  private readonly maxSegs: number;
  private readonly maxBytes: number;
  private readonly maxConns: number;
  private readonly holeUs: number;

  constructor(
    private readonly onChunk: (chunk: StreamChunk) => void,
    private readonly opts: ReassemblyOptions = {},
  ) {
    this.maxSegs = opts.maxBufferedSegments ?? 64;
    this.maxBytes = opts.maxBufferedBytes ?? 256 * 1024;
    this.maxConns = opts.maxConnections ?? 65_536;
    this.holeUs = opts.holeTimeoutUs ?? 1_000_000;
  }

  get connections(): number {
    return this.conns.size;
  }

  push(p: Packet): void {
    const tcp = p.tcp;
    if (!tcp) return;
    const t = p.tuple;
    // canonical key: the lower endpoint first; `from` is the sender's index in it
    const fwd = t.srcIp < t.dstIp || (t.srcIp === t.dstIp && t.srcPort <= t.dstPort);
    const from: 0 | 1 = fwd ? 0 : 1;
    let conn = fwd
      ? this.index.get(t.srcIp, t.srcPort, t.dstIp, t.dstPort)
      : this.index.get(t.dstIp, t.dstPort, t.srcIp, t.srcPort);
    const syn = (tcp.flags & 0x02) !== 0;
    const ack = (tcp.flags & 0x10) !== 0;
    if (conn && syn && !ack && conn.client === from && conn.closed) {
      // port reuse: a fresh handshake on a finished connection
      this.finish(conn);
      conn = undefined;
    }
    if (!conn) {
      if (this.conns.size >= this.maxConns) this.evictOldest();
      conn = {
        aIp: fwd ? t.srcIp : t.dstIp,
        aPort: fwd ? t.srcPort : t.dstPort,
        bIp: fwd ? t.dstIp : t.srcIp,
        bPort: fwd ? t.dstPort : t.srcPort,
        client: undefined,
        tuple: undefined,
        halves: [newHalf(), newHalf()],
        lastTs: p.ts,
        closed: 0,
      };
      this.conns.add(conn);
      this.index.set(conn);
    }
    conn.lastTs = p.ts;
    if (conn.client === undefined) {
      if (syn) conn.client = ack ? ((1 - from) as 0 | 1) : from;
      else if (p.payload.length > 0)
        conn.client = this.opts.orient?.(p.payload, t) === false ? ((1 - from) as 0 | 1) : from;
      if (conn.client !== undefined) {
        conn.tuple =
          conn.client === from
            ? t
            : { protocol: 'tcp', srcIp: t.dstIp, srcPort: t.dstPort, dstIp: t.srcIp, dstPort: t.srcPort };
      }
    }
    // the peer acknowledged bytes we never saw: the capture lost them, so stop waiting
    const peer = conn.halves[(1 - from) as 0 | 1];
    if (peer.pending.length > 0 && tcp.flags & 0x10)
      this.drainAcked(conn, (1 - from) as 0 | 1, peer, tcp.ack);
    if (peer.pending.length > 0 && peer.pending[0]!.ts < p.ts - this.holeUs) {
      this.drain(conn, (1 - from) as 0 | 1, peer, true);
    }
    const half = conn.halves[from];
    if (half.pending.length > 0 && half.pending[0]!.ts < p.ts - this.holeUs)
      this.drain(conn, from, half, true);
    if (syn) half.next = (tcp.seq + 1) >>> 0;
    if (p.payload.length > 0 && conn.tuple) {
      this.data(conn, from, half, tcp.seq, p.payload, p.ts);
    }
    if (tcp.flags & 0x05) {
      // FIN or RST: nothing more comes from this side; deliver what waits behind holes
      this.drain(conn, from, half, true);
      conn.closed |= tcp.flags & 0x04 ? 3 : conn.client === from ? 1 : 2;
    }
  }

  /** Deliver everything still buffered (holes become gaps) and forget idle connections. */
  expire(nowUs: number, idleUs: number): void {
    for (const conn of this.conns) {
      if (conn.lastTs < nowUs - idleUs) this.finish(conn);
    }
  }

  flush(): void {
    for (const conn of this.conns) this.finish(conn);
  }

  private finish(conn: Conn): void {
    // requests first: a response drained before its request would find nothing to pair with
    const c = conn.client ?? 0;
    this.drain(conn, c, conn.halves[c], true);
    this.drain(conn, (1 - c) as 0 | 1, conn.halves[(1 - c) as 0 | 1], true);
    this.conns.delete(conn);
    this.index.delete(conn);
    if (conn.tuple) this.opts.onClose?.(conn.tuple);
  }

  private evictOldest(): void {
    const first = this.conns.values().next();
    if (first.done) return;
    this.stats.evicted++;
    this.finish(first.value);
  }

  private data(conn: Conn, src: 0 | 1, half: Half, seq: number, payload: Uint8Array, ts: number): void {
    if (half.next === undefined) half.next = seq;
    const rel = seqDiff(seq, half.next);
    if (rel + payload.length <= 0) {
      this.stats.retransmittedBytes += payload.length;
      return;
    }
    if (rel < 0) {
      this.stats.retransmittedBytes += -rel;
      payload = payload.subarray(-rel);
      seq = half.next;
    }
    if (rel <= 0) {
      this.emit(conn, src, half, seq, payload, ts);
      this.drain(conn, src, half, false);
      return;
    }
    if (half.pending.some((s) => s.seq === seq && s.payload.length >= payload.length)) {
      this.stats.retransmittedBytes += payload.length;
      return;
    }
    half.pending.push({ seq, payload, ts });
    half.pendingBytes += payload.length;
    half.pending.sort((a, b) => seqDiff(a.seq, b.seq));
    if (half.pending.length > this.maxSegs || half.pendingBytes > this.maxBytes) {
      this.drain(conn, src, half, true);
    }
  }

  /** Skip holes that lie before `ack`: the receiver has those bytes, the capture does not. */
  private drainAcked(conn: Conn, src: 0 | 1, half: Half, ack: number): void {
    while (half.pending.length > 0 && half.next !== undefined && seqDiff(ack, half.pending[0]!.seq) > 0) {
      const before = half.pending.length;
      if (seqDiff(half.pending[0]!.seq, half.next) > 0) {
        half.gap = true;
        this.stats.gaps++;
        half.next = half.pending[0]!.seq;
      }
      this.drain(conn, src, half, false);
      if (half.pending.length === before) return;
    }
  }

  /** Emit buffered segments that are now in order; with `skipHoles`, jump over missing bytes. */
  private drain(conn: Conn, src: 0 | 1, half: Half, skipHoles: boolean): void {
    while (half.pending.length > 0 && half.next !== undefined) {
      const s = half.pending[0]!;
      const rel = seqDiff(s.seq, half.next);
      if (rel > 0) {
        if (!skipHoles) return;
        half.gap = true;
        this.stats.gaps++;
        half.next = s.seq;
        continue;
      }
      half.pending.shift();
      half.pendingBytes -= s.payload.length;
      if (rel + s.payload.length <= 0) {
        this.stats.retransmittedBytes += s.payload.length;
        continue;
      }
      const payload = rel < 0 ? s.payload.subarray(-rel) : s.payload;
      this.emit(conn, src, half, half.next, payload, s.ts);
    }
  }

  private emit(conn: Conn, src: 0 | 1, half: Half, seq: number, payload: Uint8Array, ts: number): void {
    half.next = (seq + payload.length) >>> 0;
    const gap = half.gap;
    half.gap = false;
    this.stats.chunks++;
    this.onChunk({
      ts,
      tuple: conn.tuple!,
      direction: src === conn.client ? 'request' : 'response',
      payload,
      tcpSeq: seq >>> 0,
      totalLength: payload.length,
      gap,
      source: 'packet',
    });
  }
}
