/**
 * Synthetic but realistic traffic for the parser benchmark: per protocol, N request/response
 * exchanges spread over keep-alive connections, as a libpcap file (packet path) and as
 * StreamChunks (the eBPF path, where the kernel already ordered the bytes).
 */
import type { StreamChunk } from '@zeroscope/agent/pipeline';

export interface Exchange {
  req: Uint8Array;
  resp: Uint8Array;
}

const enc = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const cat = (...p: Uint8Array[]) => new Uint8Array(Buffer.concat(p));

export function http1Exchange(i: number): Exchange {
  return {
    req: enc(
      `GET /api/v1/orders/${i}?expand=items HTTP/1.1\r\nHost: orders.svc:8080\r\nUser-Agent: bench/1.0\r\nAccept: */*\r\n` +
        `X-Request-ID: req-${i}\r\ntraceparent: 00-4bf92f3577b34da6a3ce929d0e0e${(4736 + i).toString(16).padStart(4, '0').slice(-4)}-00f067aa0ba902b7-01\r\n\r\n`,
    ),
    resp: enc(
      `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 27\r\nDate: Sat, 21 Nov 2026 10:00:00 GMT\r\n\r\n{"id":1,"status":"shipped"}`,
    ),
  };
}

/** HPACK literal without indexing, new name, no Huffman (RFC 7541 §6.2.2). */
function literal(name: string, value: string): Uint8Array {
  return cat(new Uint8Array([0, name.length]), enc(name), new Uint8Array([value.length]), enc(value));
}

function frame(type: number, flags: number, stream: number, body: Uint8Array): Uint8Array {
  const h = new Uint8Array(9);
  h[0] = body.length >> 16;
  h[1] = (body.length >> 8) & 0xff;
  h[2] = body.length & 0xff;
  h[3] = type;
  h[4] = flags;
  new DataView(h.buffer).setUint32(5, stream);
  return cat(h, body);
}

export function grpcExchange(i: number): Exchange {
  const stream = 2 * i + 1;
  const headers = cat(
    literal(':method', 'POST'),
    literal(':scheme', 'http'),
    literal(':path', '/shop.CartService/GetCart'),
    literal(':authority', 'cart:7070'),
    literal('content-type', 'application/grpc'),
    literal('te', 'trailers'),
    literal('x-request-id', `req-${i}`),
  );
  const msg = new Uint8Array([0, 0, 0, 0, 6, 10, 4, 117, 115, 101, 114]);
  return {
    req: cat(frame(1, 4, stream, headers), frame(0, 1, stream, msg)),
    resp: cat(
      frame(1, 4, stream, cat(literal(':status', '200'), literal('content-type', 'application/grpc'))),
      frame(0, 0, stream, msg),
      frame(1, 5, stream, cat(literal('grpc-status', '0'), literal('grpc-message', ''))),
    ),
  };
}

export const H2_PREFACE = cat(enc('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), frame(4, 0, 0, new Uint8Array(0)));

function dnsMessage(id: number, name: string, response: boolean): Uint8Array {
  const q = [...name.split('.').flatMap((l) => [l.length, ...Buffer.from(l)]), 0, 0, 1, 0, 1];
  const ans = response ? [0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, (id >> 8) & 0xff, id & 0xff] : [];
  return new Uint8Array([
    id >> 8,
    id & 0xff,
    response ? 0x81 : 0x01,
    response ? 0x80 : 0,
    0,
    1,
    0,
    response ? 1 : 0,
    0,
    0,
    0,
    0,
    ...q,
    ...ans,
  ]);
}

export function dnsExchange(i: number): Exchange {
  const id = i & 0xffff;
  return {
    req: dnsMessage(id, `svc-${i % 100}.default.svc.cluster.local`, false),
    resp: dnsMessage(id, `svc-${i % 100}.default.svc.cluster.local`, true),
  };
}

// ---- pcap building ----

function ipv4Tcp(
  src: number,
  dst: number,
  sport: number,
  dport: number,
  seq: number,
  flags: number,
  payload: Uint8Array,
) {
  const f = new Uint8Array(14 + 20 + 20 + payload.length);
  const v = new DataView(f.buffer);
  v.setUint16(12, 0x0800);
  f[14] = 0x45;
  v.setUint16(16, 40 + payload.length);
  f[22] = 64;
  f[23] = 6;
  v.setUint32(26, src);
  v.setUint32(30, dst);
  v.setUint16(34, sport);
  v.setUint16(36, dport);
  v.setUint32(38, seq >>> 0);
  f[46] = 0x50;
  f[47] = flags;
  v.setUint16(48, 65535);
  f.set(payload, 54);
  return f;
}

function ipv4Udp(src: number, dst: number, sport: number, dport: number, payload: Uint8Array) {
  const f = new Uint8Array(14 + 20 + 8 + payload.length);
  const v = new DataView(f.buffer);
  v.setUint16(12, 0x0800);
  f[14] = 0x45;
  v.setUint16(16, 28 + payload.length);
  f[22] = 64;
  f[23] = 17;
  v.setUint32(26, src);
  v.setUint32(30, dst);
  v.setUint16(34, sport);
  v.setUint16(36, dport);
  v.setUint16(38, 8 + payload.length);
  f.set(payload, 42);
  return f;
}

function pcap(frames: { ts: number; data: Uint8Array }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const gh = new Uint8Array(24);
  const g = new DataView(gh.buffer);
  g.setUint32(0, 0xa1b2c3d4, true);
  g.setUint16(4, 2, true);
  g.setUint16(6, 4, true);
  g.setUint32(16, 262144, true);
  g.setUint32(20, 1, true);
  parts.push(gh);
  for (const f of frames) {
    const h = new Uint8Array(16);
    const v = new DataView(h.buffer);
    v.setUint32(0, Math.floor(f.ts / 1e6), true);
    v.setUint32(4, f.ts % 1e6, true);
    v.setUint32(8, f.data.length, true);
    v.setUint32(12, f.data.length, true);
    parts.push(h, f.data);
  }
  return new Uint8Array(Buffer.concat(parts));
}

export interface Traffic {
  pcap: Uint8Array;
  chunks: StreamChunk[];
  exchanges: number;
  payloadBytes: number;
}

/** `n` exchanges over `conns` connections (TCP with handshake) or UDP flows. */
export function buildTraffic(
  make: (i: number) => Exchange,
  n: number,
  opts: { conns?: number; udp?: boolean; port: number; preface?: Uint8Array },
): Traffic {
  const conns = opts.conns ?? 50;
  const client = 0x0a000001;
  const server = 0x0a000002;
  const frames: { ts: number; data: Uint8Array }[] = [];
  const chunks: StreamChunk[] = [];
  const cseq = new Array<number>(conns).fill(1000);
  const sseq = new Array<number>(conns).fill(900_000);
  let ts = 1_700_000_000_000_000;
  let payloadBytes = 0;
  // a capture source keeps one tuple object per connection (reassembly and eBPF socket maps do)
  const tuples = new Map<number, StreamChunk['tuple']>();
  const tuple = (c: number) =>
    tuples.get(c) ??
    tuples
      .set(c, {
        protocol: (opts.udp ? 'udp' : 'tcp') as 'tcp' | 'udp',
        srcIp: '10.0.0.1',
        srcPort: 30000 + c,
        dstIp: '10.0.0.2',
        dstPort: opts.port,
      })
      .get(c)!;
  const chunk = (
    c: number,
    direction: 'request' | 'response',
    payload: Uint8Array,
    seq: number,
  ): StreamChunk => ({
    ts,
    tuple: tuple(c),
    direction,
    payload,
    tcpSeq: seq,
    totalLength: payload.length,
    gap: false,
    source: 'ebpf',
    process: { pid: 100, tid: 100, comm: 'svc', fd: 10 + c, syscallTraceId: 0, side: 'server' },
  });
  if (!opts.udp) {
    for (let c = 0; c < conns; c++) {
      frames.push({
        ts: ts++,
        data: ipv4Tcp(client, server, 30000 + c, opts.port, cseq[c]! - 1, 0x02, new Uint8Array()),
      });
      frames.push({
        ts: ts++,
        data: ipv4Tcp(server, client, opts.port, 30000 + c, sseq[c]! - 1, 0x12, new Uint8Array()),
      });
      if (opts.preface) {
        frames.push({
          ts: ts++,
          data: ipv4Tcp(client, server, 30000 + c, opts.port, cseq[c]!, 0x18, opts.preface),
        });
        chunks.push(chunk(c, 'request', opts.preface, cseq[c]!));
        cseq[c]! += opts.preface.length;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const c = i % conns;
    const { req, resp } = make(i);
    payloadBytes += req.length + resp.length;
    ts += 50;
    if (opts.udp) {
      frames.push({ ts, data: ipv4Udp(client, server, 30000 + c, opts.port, req) });
      chunks.push(chunk(c, 'request', req, 0));
      ts += 200;
      frames.push({ ts, data: ipv4Udp(server, client, opts.port, 30000 + c, resp) });
      chunks.push(chunk(c, 'response', resp, 0));
      continue;
    }
    frames.push({ ts, data: ipv4Tcp(client, server, 30000 + c, opts.port, cseq[c]!, 0x18, req) });
    chunks.push(chunk(c, 'request', req, cseq[c]!));
    cseq[c]! += req.length;
    ts += 200;
    frames.push({ ts, data: ipv4Tcp(server, client, opts.port, 30000 + c, sseq[c]!, 0x18, resp) });
    chunks.push(chunk(c, 'response', resp, sseq[c]!));
    sseq[c]! += resp.length;
  }
  return { pcap: pcap(frames), chunks, exchanges: n, payloadBytes };
}
