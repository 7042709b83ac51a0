import { describe, expect, it } from 'vitest';
import { tcpFrame } from '../../test/packet-builder';
import { decodeFrame } from './packet';
import { TcpReassembler } from './reassembly';
import type { Packet, StreamChunk } from './types';

const C = { ip: '10.0.0.1', port: 40000 };
const S = { ip: '10.0.0.2', port: 8080 };

function pkt(fromClient: boolean, seq: number, payload: string, flags = 0x18, ts = 1): Packet {
  const [a, b] = fromClient ? [C, S] : [S, C];
  return decodeFrame(
    1,
    tcpFrame({ src: a.ip, dst: b.ip, sport: a.port, dport: b.port, seq, flags, payload }),
    ts,
  )!;
}

function collect(opts = {}) {
  const chunks: StreamChunk[] = [];
  const r = new TcpReassembler((c) => chunks.push(c), opts);
  const text = (dir = 'request') =>
    chunks
      .filter((c) => c.direction === dir)
      .map((c) => (c.gap ? '|' : '') + Buffer.from(c.payload).toString())
      .join('');
  return { r, chunks, text };
}

describe('TcpReassembler', () => {
  it('orients by SYN even when the SYN-ACK is seen first, and orders segments', () => {
    const { r, chunks, text } = collect();
    r.push(pkt(false, 999, '', 0x12));
    r.push(pkt(true, 99, '', 0x02));
    r.push(pkt(true, 100, 'hel'));
    r.push(pkt(true, 106, 'wor'));
    r.push(pkt(true, 103, 'lo '));
    r.push(pkt(false, 1000, 'resp'));
    expect(text()).toBe('hello wor');
    expect(text('response')).toBe('resp');
    expect(chunks[0]!.tuple).toMatchObject({ srcIp: C.ip, dstPort: S.port });
    expect(chunks.map((c) => c.tcpSeq)).toEqual([100, 103, 106, 1000]);
  });

  it('drops retransmissions and trims overlaps', () => {
    const { r, text, chunks } = collect();
    r.push(pkt(true, 99, '', 0x02));
    r.push(pkt(true, 100, 'abcd'));
    r.push(pkt(true, 100, 'abcd'));
    r.push(pkt(true, 102, 'cdef'));
    expect(text()).toBe('abcdef');
    expect(chunks.at(-1)!.tcpSeq).toBe(104);
  });

  it('skips a hole once the out-of-order bound is hit and marks the gap', () => {
    const { r, text } = collect({ maxBufferedSegments: 2 });
    r.push(pkt(true, 99, '', 0x02));
    r.push(pkt(true, 100, 'a'));
    r.push(pkt(true, 102, 'c'));
    r.push(pkt(true, 103, 'd'));
    expect(text()).toBe('a');
    r.push(pkt(true, 104, 'e'));
    expect(text()).toBe('a|cde');
  });

  it('delivers what waits behind a hole on FIN and on flush', () => {
    const { r, text } = collect();
    r.push(pkt(true, 99, '', 0x02));
    r.push(pkt(true, 105, 'late'));
    r.flush();
    expect(text()).toBe('|late');
  });

  it('asks `orient` for connections joined midway', () => {
    const { r, chunks } = collect({ orient: (p: Uint8Array) => Buffer.from(p).toString().startsWith('GET') });
    r.push(pkt(false, 7, 'HTTP/1.1 200 OK\r\n'));
    expect(chunks[0]!.direction).toBe('response');
    expect(chunks[0]!.tuple.srcIp).toBe(C.ip);
  });

  it('sequence numbers wrap around 2^32', () => {
    const { r, text } = collect();
    r.push(pkt(true, 0xfffffffe, '', 0x02));
    r.push(pkt(true, 0xffffffff, 'ab'));
    r.push(pkt(true, 1, 'cd'));
    expect(text()).toBe('abcd');
  });

  it('evicts the oldest connection past maxConnections', () => {
    const closed: string[] = [];
    const r = new TcpReassembler(() => undefined, {
      maxConnections: 1,
      onClose: (t) => closed.push(String(t.srcPort)),
    });
    r.push(pkt(true, 1, 'x', 0x02));
    r.push(
      decodeFrame(
        1,
        tcpFrame({ src: '9.9.9.9', dst: S.ip, sport: 1234, dport: 80, seq: 1, flags: 0x02 }),
        1,
      )!,
    );
    expect(r.connections).toBe(1);
    expect(closed).toEqual([String(C.port)]);
    expect(r.stats.evicted).toBe(1);
  });
});

describe('TcpReassembler holes the capture lost', () => {
  it('skips a hole as soon as the peer acknowledges past it', () => {
    const { r, text } = collect();
    r.push(pkt(true, 99, '', 0x02));
    r.push(pkt(true, 100, 'a'));
    r.push(pkt(true, 105, 'late'));
    expect(text()).toBe('a');
    const ack = decodeFrame(
      1,
      tcpFrame({ src: S.ip, dst: C.ip, sport: S.port, dport: C.port, seq: 1, ack: 109, flags: 0x10 }),
      2,
    )!;
    r.push(ack);
    expect(text()).toBe('a|late');
  });

  it('skips a hole that waited longer than holeTimeoutUs', () => {
    const { r, text } = collect({ holeTimeoutUs: 1000 });
    r.push(pkt(true, 99, '', 0x02, 0));
    r.push(pkt(true, 105, 'x', 0x18, 10));
    r.push(pkt(true, 106, 'y', 0x18, 5000));
    expect(text()).toBe('|xy');
  });
});
