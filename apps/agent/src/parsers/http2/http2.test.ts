import { describe, expect, it } from 'vitest';
import type { L7Message } from '../types';
import { http2Parser } from '.';

const enc = (s: string) => Buffer.from(s, 'latin1');
/** literal header field without indexing, new name (RFC 7541 §6.2.2) */
const lit = (n: string, v: string) =>
  Buffer.concat([Buffer.from([0, n.length]), enc(n), Buffer.from([v.length]), enc(v)]);
function frame(type: number, flags: number, stream: number, body: Uint8Array): Buffer {
  const h = Buffer.alloc(9);
  h.writeUIntBE(body.length, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(stream, 5);
  return Buffer.concat([h, body]);
}
const PREFACE = enc('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
const ctx = (b: Uint8Array) => ({ serverPort: 80, gap: false, totalLength: b.length });

function run(reqBytes: Buffer[], respBytes: Buffer[]): L7Message[] {
  const s = http2Parser.newState();
  const out: L7Message[] = [];
  for (const b of reqBytes) out.push(...http2Parser.feed(s, b, 'request', 1, ctx(b)));
  for (const b of respBytes) out.push(...http2Parser.feed(s, b, 'response', 2, ctx(b)));
  return out;
}

describe('http2Parser', () => {
  it('HEADERS split over CONTINUATION, padded and with priority, fed byte by byte', () => {
    const block = Buffer.concat([lit(':method', 'GET'), lit(':path', '/p?x'), lit(':authority', 'svc')]);
    const padded = Buffer.concat([Buffer.from([3]), Buffer.alloc(5), block.subarray(0, 10), Buffer.alloc(3)]);
    const bytes = Buffer.concat([
      PREFACE,
      frame(1, 0x08 | 0x20, 1, padded),
      frame(9, 0x04, 1, block.subarray(10)),
    ]);
    const s = http2Parser.newState();
    const msgs = [...bytes].flatMap((b) =>
      http2Parser.feed(s, Buffer.from([b]), 'request', 1, ctx(Buffer.from([b]))),
    );
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({
      streamId: 1,
      fields: { request_type: 'GET', request_resource: '/p?x', endpoint: '/p', request_domain: 'svc' },
    });
  });

  it('a large DATA frame is skipped without buffering it', () => {
    const data = frame(0, 0, 1, Buffer.alloc(200_000));
    const s = http2Parser.newState();
    http2Parser.feed(s, PREFACE, 'request', 1, ctx(PREFACE));
    for (let i = 0; i < data.length; i += 1400)
      http2Parser.feed(s, data.subarray(i, i + 1400), 'request', 1, ctx(data.subarray(i, i + 1400)));
    expect(s.request.buf?.length ?? 0).toBeLessThan(1400);
    const h = frame(1, 0x04, 3, lit(':method', 'POST'));
    expect(http2Parser.feed(s, h, 'request', 1, ctx(h))[0]!.streamId).toBe(3);
  });

  it('RST_STREAM from the server ends the stream as a server error', () => {
    const msgs = run(
      [Buffer.concat([PREFACE, frame(1, 0x05, 1, lit(':method', 'GET'))])],
      [frame(3, 0, 1, Buffer.from([0, 0, 0, 2]))],
    );
    expect(msgs[1]!.fields).toMatchObject({
      response_status: 'server_error',
      response_exception: 'RST_STREAM(2)',
    });
  });

  it('gRPC: headers are a partial response, the trailer is final', () => {
    const req = frame(
      1,
      0x04,
      1,
      Buffer.concat([
        lit(':method', 'POST'),
        lit(':path', '/a.B/C'),
        lit('content-type', 'application/grpc'),
      ]),
    );
    const head = frame(
      1,
      0x04,
      1,
      Buffer.concat([lit(':status', '200'), lit('content-type', 'application/grpc')]),
    );
    const trailer = frame(
      1,
      0x05,
      1,
      Buffer.concat([lit('grpc-status', '14'), lit('grpc-message', 'down%20now')]),
    );
    const msgs = run([Buffer.concat([PREFACE, req])], [head, trailer]);
    expect(msgs.map((m) => [m.direction, m.more ?? false])).toEqual([
      ['request', false],
      ['response', true],
      ['response', false],
    ]);
    expect(msgs[0]!.fields).toMatchObject({ l7_protocol: 'grpc', request_domain: 'a.B', endpoint: '/a.B/C' });
    expect(msgs[2]!.fields).toMatchObject({
      response_code: 14,
      response_status: 'server_error',
      response_exception: 'down now',
    });
  });

  it('infers a connection joined midway only from whole, well-formed frames with headers', () => {
    const h = frame(1, 0x04, 5, Buffer.concat([lit(':method', 'GET'), lit(':path', '/')]));
    expect(http2Parser.infer(h, 'request', ctx(h))).toBe(true);
    expect(http2Parser.infer(enc('GET / HTTP/1.1\r\n\r\n'), 'request', ctx(h))).toBe(false);
    expect(http2Parser.infer(frame(4, 0, 1, Buffer.alloc(6)), 'request', ctx(h))).toBe(false);
  });
});
