/**
 * HTTP/2 (RFC 9113) over one connection: frames reassembled from the byte stream, header
 * blocks (HEADERS + CONTINUATION) decoded with one HPACK table per direction, and one
 * request/response per stream (streamId = stream id). gRPC responses are `more` until the
 * grpc-status trailer ends them. DATA payloads are skipped without being buffered.
 */
import type { Direction } from '../../capture/types';
import { type L7Message, MAX_BUFFERED, type ParseContext, type ProtocolParser } from '../types';
import { requestFields, responseFields, responseHead } from './fields';
import { HpackDecoder } from './hpack';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const DATA = 0;
const HEADERS = 1;
const RST_STREAM = 3;
const CONTINUATION = 9;
const END_STREAM = 0x1;
const END_HEADERS = 0x4;
const PADDED = 0x8;
const PRIORITY = 0x20;
const MAX_STREAMS = 1024;
const MAX_HEADER_BLOCK = 64 * 1024;

interface PendingBlock {
  streamId: number;
  parts: Uint8Array[];
  size: number;
  endStream: boolean;
  ts: number;
}

interface Dir {
  buf: Uint8Array | undefined;
  /** bytes of a DATA (or oversized) frame still to skip */
  skip: number;
  hpack: HpackDecoder;
  block: PendingBlock | undefined;
  prefaceDone: boolean;
}

interface Stream {
  grpc: boolean;
  requestSeen: boolean;
  /** response headers were emitted as a partial (gRPC) response */
  responseOpen: boolean;
  final: boolean;
}

export interface Http2State {
  request: Dir;
  response: Dir;
  streams: Map<number, Stream>;
}

const newDir = (): Dir => ({
  buf: undefined,
  skip: 0,
  hpack: new HpackDecoder(),
  block: undefined,
  prefaceDone: false,
});

function frameHeaderOk(d: Uint8Array, p: number): boolean {
  const type = d[p + 3]!;
  const sid = d[p + 5]!;
  return type <= CONTINUATION && (sid & 0x80) === 0;
}

function stream(s: Http2State, id: number): Stream {
  let st = s.streams.get(id);
  if (!st) {
    if (s.streams.size >= MAX_STREAMS) s.streams.delete(s.streams.keys().next().value!);
    st = { grpc: false, requestSeen: false, responseOpen: false, final: false };
    s.streams.set(id, st);
  }
  return st;
}

function onHeaderBlock(s: Http2State, dir: Direction, b: PendingBlock, out: L7Message[]): void {
  const block = b.parts.length === 1 ? b.parts[0]! : Buffer.concat(b.parts);
  const headers = s[dir].hpack.decode(block);
  const st = stream(s, b.streamId);
  const length = b.size + 9 * b.parts.length;
  if (dir === 'request') {
    if (st.requestSeen) return; // client trailers (end of a client stream)
    st.requestSeen = true;
    const { fields, grpc } = requestFields(headers);
    st.grpc = grpc;
    out.push({ direction: dir, ts: b.ts, streamId: b.streamId, length, fields });
    return;
  }
  if (st.final) return;
  const h = responseHead(headers);
  if (h.status !== undefined && h.status >= 100 && h.status < 200) return;
  if (h.grpc) st.grpc = true;
  const isTrailer = h.status === undefined;
  if (isTrailer && !st.responseOpen && h.grpcStatus === undefined) return;
  // a gRPC response ends with its trailers; anything else ends with its headers
  const more = st.grpc && h.grpcStatus === undefined && !b.endStream;
  st.responseOpen = more;
  st.final = !more;
  out.push({
    direction: dir,
    ts: b.ts,
    streamId: b.streamId,
    length,
    more,
    fields: responseFields(h, st.grpc),
  });
  if (st.final) s.streams.delete(b.streamId);
}

function onFrame(
  s: Http2State,
  dir: Direction,
  type: number,
  flags: number,
  sid: number,
  body: Uint8Array,
  ts: number,
  out: L7Message[],
): void {
  const d = s[dir];
  if (d.block && type !== CONTINUATION) d.block = undefined; // protocol error: drop the block
  if (type === HEADERS && sid !== 0) {
    let p = 0;
    let end = body.length;
    if (flags & PADDED) {
      end -= body[0] ?? 0;
      p = 1;
    }
    if (flags & PRIORITY) p += 5;
    if (p > end) return;
    const b: PendingBlock = {
      streamId: sid,
      parts: [body.subarray(p, end)],
      size: end - p,
      endStream: (flags & END_STREAM) !== 0,
      ts,
    };
    if (flags & END_HEADERS) onHeaderBlock(s, dir, b, out);
    else d.block = b;
  } else if (type === CONTINUATION && d.block && d.block.streamId === sid) {
    d.block.parts.push(body);
    d.block.size += body.length;
    if (d.block.size > MAX_HEADER_BLOCK) d.block = undefined;
    else if (flags & END_HEADERS) {
      const b = d.block;
      d.block = undefined;
      onHeaderBlock(s, dir, b, out);
    }
  } else if (type === RST_STREAM && dir === 'response' && body.length >= 4) {
    const st = s.streams.get(sid);
    const code = ((body[0]! << 24) | (body[1]! << 16) | (body[2]! << 8) | body[3]!) >>> 0;
    if (st && !st.final && code !== 0) {
      s.streams.delete(sid);
      out.push({
        direction: dir,
        ts,
        streamId: sid,
        length: 13,
        fields: { response_status: 'server_error', response_exception: `RST_STREAM(${code})` },
      });
    }
  }
}

function feed(
  s: Http2State,
  payload: Uint8Array,
  dir: Direction,
  ts: number,
  ctx: ParseContext,
): L7Message[] {
  const out: L7Message[] = [];
  const d = s[dir];
  if (ctx.gap) {
    d.buf = undefined;
    d.skip = 0;
    d.block = undefined;
  }
  let data = payload;
  if (d.buf) {
    data = Buffer.concat([d.buf, payload]);
    d.buf = undefined;
  }
  let pos = 0;
  if (d.skip > 0) {
    const n = Math.min(d.skip, data.length);
    d.skip -= n;
    pos = n;
  }
  if (!d.prefaceDone && dir === 'request') {
    if (
      data.length - pos < PREFACE.length &&
      PREFACE.subarray(0, data.length - pos).equals(data.subarray(pos))
    ) {
      d.buf = data.slice(pos);
      return out;
    }
    if (PREFACE.equals(data.subarray(pos, pos + PREFACE.length))) pos += PREFACE.length;
    d.prefaceDone = true;
  }
  const truncated = ctx.totalLength > payload.length;
  while (data.length - pos >= 9) {
    if (!frameHeaderOk(data, pos)) {
      // lost framing: wait for a chunk that starts on a frame boundary
      return out;
    }
    const len = (data[pos]! << 16) | (data[pos + 1]! << 8) | data[pos + 2]!;
    const type = data[pos + 3]!;
    const flags = data[pos + 4]!;
    const sid =
      ((data[pos + 5]! << 24) | (data[pos + 6]! << 16) | (data[pos + 7]! << 8) | data[pos + 8]!) >>> 0;
    const avail = data.length - pos - 9;
    if (avail < len) {
      if (truncated && type === HEADERS) {
        // the capture cut this frame: decode the part we have
        onFrame(s, dir, type, flags | END_HEADERS, sid, data.subarray(pos + 9), ts, out);
        return out;
      }
      if (type === DATA || len > MAX_BUFFERED) {
        if (!truncated) d.skip = len - avail;
        return out;
      }
      d.buf = data.slice(pos);
      return out;
    }
    onFrame(s, dir, type, flags, sid, data.subarray(pos + 9, pos + 9 + len), ts, out);
    pos += 9 + len;
  }
  if (pos < data.length && !truncated) d.buf = data.slice(pos);
  return out;
}

/** Strict shape check for a connection joined midway: whole frames, a HEADERS with pseudo-headers. */
function inferFrames(p: Uint8Array, dir: Direction): boolean {
  let pos = 0;
  let sawHeaders = false;
  for (let frames = 0; p.length - pos >= 9 && frames < 64; frames++) {
    if (!frameHeaderOk(p, pos)) return false;
    const len = (p[pos]! << 16) | (p[pos + 1]! << 8) | p[pos + 2]!;
    const type = p[pos + 3]!;
    const sid = ((p[pos + 5]! << 24) | (p[pos + 6]! << 16) | (p[pos + 7]! << 8) | p[pos + 8]!) >>> 0;
    if (type === 4 && (sid !== 0 || len % 6 !== 0)) return false;
    if ((type === DATA || type === HEADERS || type === CONTINUATION) && sid === 0) return false;
    if (type === HEADERS && pos + 9 + len <= p.length) {
      const st = { request: newDir(), response: newDir(), streams: new Map<number, Stream>() };
      const out: L7Message[] = [];
      onFrame(st, dir, HEADERS, p[pos + 4]! | END_HEADERS, sid, p.subarray(pos + 9, pos + 9 + len), 0, out);
      const f = out[0]?.fields;
      if (!f) return false;
      if (
        dir === 'request'
          ? !(f.request_type || f.request_resource || f.request_domain)
          : f.response_code === undefined
      ) {
        return false;
      }
      sawHeaders = true;
    }
    pos += 9 + len;
  }
  return sawHeaders && pos >= p.length - 9;
}

export const http2Parser: ProtocolParser<Http2State> = {
  protocol: 'http2',
  infer(payload, direction) {
    if (
      direction === 'request' &&
      payload.length >= 16 &&
      PREFACE.subarray(0, 16).equals(payload.subarray(0, 16))
    ) {
      return true;
    }
    return inferFrames(payload, direction);
  },
  newState: () => ({ request: newDir(), response: newDir(), streams: new Map() }),
  feed,
};
