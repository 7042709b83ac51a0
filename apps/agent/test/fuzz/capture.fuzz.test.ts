/**
 * The capture path under hostile bytes: mutated capture files through reader, decoder,
 * reassembly and the full pipeline, and random TCP segment streams through reassembly.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFrame, newDecodeStats } from '../../src/capture/packet';
import { CaptureError, readCapture } from '../../src/capture/pcap';
import { TcpReassembler } from '../../src/capture/reassembly';
import type { Packet } from '../../src/capture/types';
import { createPacketPipeline } from '../../src/pipeline/packets';
import { replayBytes } from '../../src/replay';
import { mutate, rng } from './fuzz-helpers';

const files = ['http1.pcap', 'http2.pcap', 'tls.pcap', 'dns.pcap'].map(
  (n) => new Uint8Array(readFileSync(new URL(`../captures/${n}`, import.meta.url))),
);

describe('capture fuzzing (fixed seed)', () => {
  it('5,000 mutated capture files: only a bad magic may throw, and it is a CaptureError', {
    timeout: 120_000,
  }, () => {
    const r = rng(0xca9);
    let records = 0;
    for (let i = 0; i < 5000; i++) {
      const base = files[r.int(files.length)]!;
      let bytes: Uint8Array = base;
      for (let k = 0, n = 1 + r.int(4); k < n; k++) bytes = mutate(r, bytes, files);
      try {
        records += replayBytes(bytes).length;
      } catch (e) {
        expect(e).toBeInstanceOf(CaptureError);
        expect((e as CaptureError).code).toBe('bad_magic');
      }
    }
    expect(records).toBeGreaterThan(0);
  });

  it('100,000 mutated frames through the decoder never throw', { timeout: 60_000 }, () => {
    const frames = files.flatMap((f) => [...readCapture(f)].map((x) => x.data));
    const r = rng(0xdec);
    const stats = newDecodeStats();
    for (let i = 0; i < 100_000; i++) {
      const lt = [1, 113, 276, 101, 0, 12][r.int(6)]!;
      decodeFrame(lt, mutate(r, frames[r.int(frames.length)]!, frames), i, stats);
    }
    expect(stats.decoded + stats.skipped + stats.malformed + stats.fragments).toBe(100_000);
  });

  it('100,000 random segments over 64 connections: reassembly and pipeline stay bounded', {
    timeout: 60_000,
  }, () => {
    const r = rng(0x7cb);
    let chunks = 0;
    const reasm = new TcpReassembler(() => chunks++, { maxConnections: 32 });
    const pp = createPacketPipeline({ onRecord: () => undefined, maxConnections: 32 });
    const payloads = files.flatMap((f) =>
      [...readCapture(f)].map((x) => decodeFrame(x.linkType, x.data, 0)?.payload ?? new Uint8Array()),
    );
    for (let i = 0; i < 100_000; i++) {
      const conn = r.int(64);
      const fromClient = r.int(2) === 0;
      const payload =
        r.int(3) === 0
          ? mutate(r, payloads[r.int(payloads.length)]!, payloads)
          : payloads[r.int(payloads.length)]!;
      const p: Packet = {
        ts: i * 10,
        tuple: fromClient
          ? { protocol: 'tcp', srcIp: '10.0.0.1', srcPort: 10000 + conn, dstIp: '10.0.0.2', dstPort: 80 }
          : { protocol: 'tcp', srcIp: '10.0.0.2', srcPort: 80, dstIp: '10.0.0.1', dstPort: 10000 + conn },
        tcp: {
          seq: r.int(3) === 0 ? r.int(2 ** 32) : (conn * 1000 + i) >>> 0,
          ack: 0,
          flags: [0x18, 0x10, 0x02, 0x12, 0x01, 0x04][r.int(6)]!,
          window: 0,
        },
        payload,
        wireLength: payload.length + 40,
      };
      reasm.push(p);
      pp.push(p);
    }
    reasm.flush();
    pp.flush();
    expect(chunks).toBeGreaterThan(1000);
    expect(reasm.connections).toBe(0);
    expect(pp.reassembler.connections).toBe(0);
  });
});
