import type { DataEvent } from '@zeroscope/bpf/capture';
import { describe, expect, it } from 'vitest';
import { GapTracker, toStreamChunk } from './ebpf';

const base: DataEvent = {
  kind: 'data',
  tsNs: 1,
  sockId: 0x8880_1234_0000,
  traceId: 4097,
  tuple: { l4: 'tcp', localIp: '10.0.0.2', localPort: 8080, remoteIp: '10.0.0.9', remotePort: 51000 },
  hasTuple: true,
  pid: 42,
  tid: 43,
  fd: 7,
  tcpSeq: 1000,
  capSeq: 0,
  totalLength: 3000,
  syscall: 0,
  direction: 'ingress',
  side: 'server',
  sideGuessed: false,
  proto: 'http1',
  comm: 'node',
  payload: new TextEncoder().encode('GET / HTTP/1.1\r\n'),
};

describe('toStreamChunk', () => {
  it('orients a server socket tuple client -> server and reads as a request', () => {
    const c = toStreamChunk(base, 5, false);
    expect(c?.tuple).toEqual({
      protocol: 'tcp',
      srcIp: '10.0.0.9',
      srcPort: 51000,
      dstIp: '10.0.0.2',
      dstPort: 8080,
    });
    expect(c?.direction).toBe('request');
    expect(c?.totalLength).toBe(3000);
    expect(c?.tcpSeq).toBe(1000);
    expect(c?.source).toBe('ebpf');
    expect(c?.process).toEqual({
      pid: 42,
      tid: 43,
      comm: 'node',
      fd: 7,
      syscallTraceId: 4097,
      side: 'server',
    });
  });

  it('keeps a client socket tuple as is; its egress is the request, ingress the response', () => {
    const client = {
      ...base,
      side: 'client' as const,
      tuple: { ...base.tuple, localPort: 51000, remotePort: 8080 },
    };
    const req = toStreamChunk({ ...client, direction: 'egress' }, 5, false);
    expect(req?.tuple.srcPort).toBe(51000);
    expect(req?.tuple.dstPort).toBe(8080);
    expect(req?.direction).toBe('request');
    expect(toStreamChunk({ ...client, direction: 'ingress' }, 5, false)?.direction).toBe('response');
  });

  it("gives every event of a socket the same oriented tuple object (the pipeline's fast path)", () => {
    const a = toStreamChunk(base, 5, false);
    const b = toStreamChunk({ ...base, direction: 'egress', capSeq: 1 }, 6, false);
    expect(b?.tuple).toBe(a?.tuple);
    // another socket with equal addresses is another object
    const other = toStreamChunk({ ...base, tuple: { ...base.tuple } }, 7, false);
    expect(other?.tuple).not.toBe(a?.tuple);
    expect(other?.tuple).toEqual(a?.tuple);
  });

  it('drops TLS plaintext whose socket is unknown', () => {
    expect(toStreamChunk({ ...base, kind: 'tls', hasTuple: false }, 5, false)).toBeUndefined();
  });
});

describe('GapTracker', () => {
  it('flags a hole in the per-socket capture sequence, including across u32 wrap', () => {
    const g = new GapTracker();
    expect(g.next(1, 5)).toBe(false);
    expect(g.next(1, 6)).toBe(false);
    expect(g.next(1, 8)).toBe(true);
    expect(g.next(2, 0xffffffff)).toBe(false);
    expect(g.next(2, 0)).toBe(false);
    g.forget(1);
    expect(g.next(1, 100)).toBe(false);
  });

  it('treats sequence 0 as a new socket at a reused id, even without a close', () => {
    const g = new GapTracker();
    expect(g.next(3, 0)).toBe(false);
    expect(g.next(3, 1)).toBe(false);
    expect(g.next(3, 2)).toBe(false);
    // the socket closed unseen; the kernel hands its memory (same id) to a new connection
    expect(g.next(3, 0)).toBe(false);
    expect(g.next(3, 1)).toBe(false);
    expect(g.next(3, 3)).toBe(true);
  });
});
