import { describe, expect, it } from 'vitest';
import { dnsParser } from '.';

/** A query or response for `name` built by hand (RFC 1035 §4.1). */
export function dnsMessage(
  id: number,
  name: string,
  opts: { response?: boolean; rcode?: number; answerIp?: string; qtype?: number } = {},
) {
  const q = [...name.split('.').flatMap((l) => [l.length, ...Buffer.from(l)]), 0, 0, opts.qtype ?? 1, 0, 1];
  const flags = (opts.response ? 0x8180 : 0x0100) | (opts.rcode ?? 0);
  const ans = opts.answerIp
    ? [0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, ...opts.answerIp.split('.').map(Number)]
    : [];
  return new Uint8Array([
    id >> 8,
    id & 0xff,
    flags >> 8,
    flags & 0xff,
    0,
    1,
    0,
    ans.length ? 1 : 0,
    0,
    0,
    0,
    0,
    ...q,
    ...ans,
  ]);
}

const udp = { serverPort: 53, gap: false, totalLength: 0, transport: 'udp' as const };
const tcp = { ...udp, transport: 'tcp' as const };

describe('dnsParser', () => {
  it('query and answer over UDP with compression pointers', () => {
    const s = dnsParser.newState();
    const [q] = dnsParser.feed(s, dnsMessage(7, 'a.example.com'), 'request', 1, udp);
    const [r] = dnsParser.feed(
      s,
      dnsMessage(7, 'a.example.com', { response: true, answerIp: '1.2.3.4' }),
      'response',
      2,
      udp,
    );
    expect(q).toMatchObject({
      streamId: 7,
      fields: { request_type: 'A', request_resource: 'a.example.com', request_id: 7 },
    });
    expect(r!.fields).toMatchObject({
      response_code: 0,
      response_status: 'ok',
      response_result: 'A=1.2.3.4 TTL=60',
    });
  });

  it('NXDOMAIN is a client error, SERVFAIL a server error', () => {
    const s = dnsParser.newState();
    const nx = dnsParser.feed(s, dnsMessage(1, 'x.y', { response: true, rcode: 3 }), 'response', 1, udp)[0]!;
    const sf = dnsParser.feed(s, dnsMessage(2, 'x.y', { response: true, rcode: 2 }), 'response', 1, udp)[0]!;
    expect([nx.fields.response_status, nx.fields.response_exception]).toEqual(['client_error', 'NXDOMAIN']);
    expect([sf.fields.response_status, sf.fields.response_exception]).toEqual(['server_error', 'SERVFAIL']);
  });

  it('TCP: length-prefixed messages split across segments and several per segment', () => {
    const m1 = dnsMessage(1, 'a.b', { qtype: 28 });
    const m2 = dnsMessage(2, 'c.d');
    const framed = new Uint8Array([0, m1.length, ...m1, 0, m2.length, ...m2]);
    const s = dnsParser.newState();
    const first = dnsParser.feed(s, framed.subarray(0, 5), 'request', 1, tcp);
    const rest = dnsParser.feed(s, framed.subarray(5), 'request', 2, tcp);
    expect([...first, ...rest].map((m) => [m.streamId, m.fields.request_type])).toEqual([
      [1, 'AAAA'],
      [2, 'A'],
    ]);
  });

  it('a compression loop ends without hanging', () => {
    const m = dnsMessage(1, 'a');
    m[12] = 0xc0;
    m[13] = 12; // name points at itself
    expect(dnsParser.feed(dnsParser.newState(), m, 'request', 1, udp)).toEqual([]);
  });
});
