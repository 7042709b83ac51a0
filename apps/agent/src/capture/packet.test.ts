import { describe, expect, it } from 'vitest';
import { ethernet, ipv4, tcpSegment, udpDatagram } from '../../test/packet-builder';
import { decodeFrame, ipv6Text, newDecodeStats } from './packet';

const seg = tcpSegment({
  src: '',
  dst: '',
  sport: 40000,
  dport: 80,
  seq: 42,
  flags: 0x18,
  payload: 'GET / HTTP/1.1\r\n',
});
const ip = ipv4('10.0.0.1', '10.0.0.2', 6, seg);

function ipv6Packet(next: number, l4: Uint8Array, ext?: Uint8Array): Uint8Array {
  const body = ext ? new Uint8Array([...ext, ...l4]) : l4;
  const h = new Uint8Array(40 + body.length);
  h[0] = 0x60;
  new DataView(h.buffer).setUint16(4, body.length);
  h[6] = ext ? 0 : next;
  h[7] = 64;
  h[23] = 1; // src ::1
  h.set([0x20, 0x01, 0x0d, 0xb8], 24);
  h[39] = 2; // dst 2001:db8::2
  h.set(body, 40);
  return h;
}

describe('decodeFrame', () => {
  it('Ethernet + IPv4 + TCP: tuple, seq, flags, payload', () => {
    const p = decodeFrame(1, ethernet(ip), 5)!;
    expect(p.tuple).toEqual({
      protocol: 'tcp',
      srcIp: '10.0.0.1',
      srcPort: 40000,
      dstIp: '10.0.0.2',
      dstPort: 80,
    });
    expect(p.tcp).toMatchObject({ seq: 42, flags: 0x18 });
    expect(Buffer.from(p.payload).toString()).toBe('GET / HTTP/1.1\r\n');
    expect(p.wireLength).toBe(ip.length);
  });

  it('802.1Q VLAN tag and Ethernet padding', () => {
    const f = ethernet(ip, 0x0800, 100);
    const padded = new Uint8Array([...f, 0, 0, 0, 0]);
    expect(decodeFrame(1, padded, 0)!.payload.length).toBe(16);
  });

  it('Linux SLL, SLL2 and raw IP link types', () => {
    const sll = new Uint8Array(16 + ip.length);
    sll[14] = 0x08;
    sll.set(ip, 16);
    const sll2 = new Uint8Array(20 + ip.length);
    sll2[0] = 0x08;
    sll2.set(ip, 20);
    for (const [lt, f] of [
      [113, sll],
      [276, sll2],
      [101, ip],
      [228, ip],
    ] as const) {
      expect(decodeFrame(lt, f, 0)?.tuple.dstPort, `linktype ${lt}`).toBe(80);
    }
  });

  it('TCP window scale option on SYN', () => {
    const s = tcpSegment({ src: '', dst: '', sport: 1, dport: 2, seq: 0, flags: 0x02 });
    const withOpt = new Uint8Array(24);
    withOpt.set(s.subarray(0, 20));
    withOpt[12] = 6 << 4;
    withOpt.set([1, 3, 3, 7], 20); // NOP, WS=7
    expect(decodeFrame(101, ipv4('1.1.1.1', '2.2.2.2', 6, withOpt), 0)!.tcp!.windowScale).toBe(7);
  });

  it('IPv6 with a hop-by-hop extension header, UDP', () => {
    const udp = udpDatagram(5353, 53, 'abc');
    const hop = new Uint8Array([17, 0, 1, 4, 0, 0, 0, 0]);
    const p = decodeFrame(1, ethernet(ipv6Packet(17, udp, hop), 0x86dd), 0)!;
    expect(p.tuple).toEqual({
      protocol: 'udp',
      srcIp: '::1',
      srcPort: 5353,
      dstIp: '2001:db8::2',
      dstPort: 53,
    });
    expect(Buffer.from(p.payload).toString()).toBe('abc');
  });

  it('IPv4 fragments are dropped and counted; junk is counted, never thrown', () => {
    const frag = new Uint8Array(ip);
    frag[6] = 0x20; // MF
    const stats = newDecodeStats();
    expect(decodeFrame(1, ethernet(frag), 0, stats)).toBeUndefined();
    expect(decodeFrame(1, new Uint8Array([1, 2, 3]), 0, stats)).toBeUndefined();
    expect(decodeFrame(1, ethernet(new Uint8Array([0x45, 0, 0, 10])), 0, stats)).toBeUndefined();
    expect(stats).toMatchObject({ fragments: 1, malformed: 1, skipped: 1 });
  });

  it('IPv6 text form is RFC 5952', () => {
    const a = new Uint8Array(16);
    a[15] = 1;
    expect(ipv6Text(a, 0)).toBe('::1');
    a.set([0xfe, 0x80], 0);
    expect(ipv6Text(a, 0)).toBe('fe80::1');
    const m = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1]);
    expect(ipv6Text(m, 0)).toBe('::ffff:10.0.0.1');
  });
});
