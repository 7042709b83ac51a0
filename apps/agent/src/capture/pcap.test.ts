import { describe, expect, it } from 'vitest';
import { pcapFile, pcapngFile, tcpFrame } from '../../test/packet-builder';
import { CaptureError, type ReadStats, readCapture } from './pcap';

const frames = [
  {
    ts: 1_700_000_000_123_456,
    data: tcpFrame({ src: '1.1.1.1', dst: '2.2.2.2', sport: 1, dport: 2, seq: 7, payload: 'x' }),
  },
  { ts: 1_700_000_001_000_001, data: new Uint8Array([1, 2, 3]) },
];

describe('readCapture', () => {
  for (const [name, bytes] of [
    ['pcap µs little-endian', pcapFile(frames)],
    ['pcap µs big-endian', pcapFile(frames, { bigEndian: true })],
    ['pcap ns little-endian', pcapFile(frames, { nanos: true })],
    ['pcap ns big-endian', pcapFile(frames, { nanos: true, bigEndian: true })],
    ['pcapng µs', pcapngFile(frames)],
    ['pcapng ns', pcapngFile(frames, { tsresol: 9 })],
  ] as const) {
    it(`${name}: frames, µs timestamps, link type`, () => {
      const got = [...readCapture(bytes)];
      expect(got.map((f) => f.ts)).toEqual(frames.map((f) => f.ts));
      expect(got.map((f) => Array.from(f.data))).toEqual(frames.map((f) => Array.from(f.data)));
      expect(got[0]!.linkType).toBe(1);
    });
  }

  it('a truncated file yields the whole records and reports the error', () => {
    const bytes = pcapFile(frames);
    const stats: ReadStats = { frames: 0 };
    const got = [...readCapture(bytes.subarray(0, bytes.length - 2), stats)];
    expect(got).toHaveLength(1);
    expect(stats.error?.code).toBe('truncated');
  });

  it("Kuznetzov's extended pcap (magic a1b2cd34, 24-byte record headers)", () => {
    const data = new Uint8Array([9, 8, 7]);
    const b = new Uint8Array(24 + 24 + data.length);
    const v = new DataView(b.buffer);
    v.setUint32(0, 0xa1b2cd34, true);
    v.setUint32(20, 1, true);
    v.setUint32(24, 10, true);
    v.setUint32(28, 5, true);
    v.setUint32(32, 3, true);
    v.setUint32(36, 3, true);
    b.set(data, 48);
    const [f] = [...readCapture(b)];
    expect(f!.ts).toBe(10_000_005);
    expect(Array.from(f!.data)).toEqual([9, 8, 7]);
  });

  it('unknown magic throws a CaptureError with a code', () => {
    expect(() => [...readCapture(new Uint8Array(32))]).toThrow(CaptureError);
  });

  it('reads the nanosecond DeepFlow-style capture produced by tcpdump', async () => {
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(new URL('../../test/captures/http1.pcap', import.meta.url));
    const got = [...readCapture(bytes)];
    expect(got.length).toBeGreaterThan(20);
    expect(got.every((f, i) => i === 0 || f.ts >= got[i - 1]!.ts)).toBe(true);
  });
});
