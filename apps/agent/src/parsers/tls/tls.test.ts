import { describe, expect, it } from 'vitest';
import { tlsParser } from '.';

const ctx = (b: Uint8Array) => ({ serverPort: 443, gap: false, totalLength: b.length });

/** Minimal ClientHello with SNI, ALPN and supported_versions (TLS 1.3 + GREASE). */
function clientHello(sni: string): Uint8Array {
  const ext = (type: number, body: number[]) => [
    type >> 8,
    type & 0xff,
    body.length >> 8,
    body.length & 0xff,
    ...body,
  ];
  const name = [...Buffer.from(sni)];
  const sniList = [0, ...[name.length >> 8, name.length & 0xff], ...name];
  const exts = [
    ...ext(0, [sniList.length >> 8, sniList.length & 0xff, ...sniList]),
    ...ext(16, [0, 3, 2, ...Buffer.from('h2')]),
    ...ext(43, [4, 0x0a, 0x0a, 3, 4]),
  ];
  const body = [
    3,
    3,
    ...new Array(32).fill(7),
    0,
    0,
    2,
    0x13,
    0x01,
    1,
    0,
    exts.length >> 8,
    exts.length & 0xff,
    ...exts,
  ];
  const hs = [1, 0, body.length >> 8, body.length & 0xff, ...body];
  return new Uint8Array([22, 3, 1, hs.length >> 8, hs.length & 0xff, ...hs]);
}

describe('tlsParser', () => {
  it('ClientHello split across segments: SNI, highest non-GREASE version, ALPN', () => {
    const b = clientHello('api.example.com');
    const s = tlsParser.newState();
    expect(tlsParser.infer(b, 'request', ctx(b))).toBe(true);
    expect(tlsParser.feed(s, b.subarray(0, 20), 'request', 1, ctx(b.subarray(0, 20)))).toEqual([]);
    const [m] = tlsParser.feed(s, b.subarray(20), 'request', 2, ctx(b.subarray(20)));
    expect(m!.fields).toMatchObject({
      l7_protocol: 'tls',
      request_domain: 'api.example.com',
      version: '1.3',
      attribute_names: ['tls.alpn'],
      attribute_values: ['h2'],
    });
  });

  it('a fatal alert instead of a ServerHello is a server error with its name', () => {
    const alert = new Uint8Array([21, 3, 3, 0, 2, 2, 40]);
    const [m] = tlsParser.feed(tlsParser.newState(), alert, 'response', 1, ctx(alert));
    expect(m!.fields).toMatchObject({
      response_status: 'server_error',
      response_exception: 'handshake_failure',
    });
  });

  it('application data is ignored after the handshake', () => {
    const s = tlsParser.newState();
    const appData = new Uint8Array([23, 3, 3, 0, 3, 1, 2, 3]);
    expect(tlsParser.feed(s, appData, 'request', 1, ctx(appData))).toEqual([]);
    expect(s.done.request).toBe(true);
  });
});
