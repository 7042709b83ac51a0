import { describe, expect, it } from 'vitest';
import { startAfPacketCapture } from '../src/capture/afpacket';
import { startEbpfCapture } from '../src/capture/ebpf';
import type { StreamChunk } from '../src/capture/types';
import { curl, until, usePongServer } from './live-peers';

const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)(
  `capture adapters${isRoot ? '' : ' (skipped: needs root for eBPF/AF_PACKET)'}`,
  () => {
    const pong = usePongServer();

    it('ebpf: a curl request becomes request/response StreamChunks oriented client -> server', async () => {
      const chunks: StreamChunk[] = [];
      const cap = await startEbpfCapture({ ports: [pong.port], onChunk: (c) => chunks.push(c) });
      try {
        expect(cap.features.socket_data?.enabled).toBe(true);
        const { pid, out } = await curl(`http://127.0.0.1:${pong.port}/ping`);
        const clientPort = Number(out.trim().split('\n').pop());
        const req = await until(() =>
          chunks.find((c) => c.process?.pid === pid && c.direction === 'request'),
        );
        expect(new TextDecoder().decode(req.payload)).toMatch(/^GET \/ping HTTP\/1\.1/);
        expect(req.tuple).toEqual({
          protocol: 'tcp',
          srcIp: '127.0.0.1',
          srcPort: clientPort,
          dstIp: '127.0.0.1',
          dstPort: pong.port,
        });
        expect(req.process?.side).toBe('client');
        expect(req.source).toBe('ebpf');
        expect(req.gap).toBe(false);
        expect(Math.abs(req.ts - Date.now() * 1000)).toBeLessThan(10_000_000);
        const srvReq = await until(() =>
          chunks.find((c) => c.process?.pid !== pid && c.direction === 'request'),
        );
        expect(srvReq.tuple).toEqual(req.tuple);
        expect(srvReq.tcpSeq).toBe(req.tcpSeq);
        expect(srvReq.process?.side).toBe('server');
        const resp = await until(() =>
          chunks.find((c) => c.process?.pid !== pid && c.direction === 'response'),
        );
        expect(new TextDecoder().decode(resp.payload)).toContain('pong');
        expect(resp.process?.syscallTraceId).toBe(srvReq.process?.syscallTraceId);
        // the client's read of the response may come in the next drain
        await until(() => (cap.stats().chunks >= 4 ? true : undefined));
        expect(cap.stats().chunks).toBeGreaterThanOrEqual(4);
      } finally {
        await cap.stop();
      }
    });

    it('afpacket: delivers raw frames of the chosen port once each, with µs timestamps', async () => {
      const frames: { ts: number; data: Uint8Array }[] = [];
      const cap = await startAfPacketCapture({
        interfaces: ['lo'],
        ports: [pong.port],
        onFrames: (f) => frames.push(...f),
      });
      try {
        await curl(`http://127.0.0.1:${pong.port}/frames`);
        const get = await until(() => frames.find((f) => Buffer.from(f.data).includes('GET /frames')));
        expect(Buffer.from(get.data).readUInt16BE(12)).toBe(0x0800);
        expect(Math.abs(get.ts - Date.now() * 1000)).toBeLessThan(10_000_000);
        expect(frames.filter((f) => Buffer.from(f.data).includes('GET /frames'))).toHaveLength(1);
        // the filter keeps only this port
        for (const f of frames) {
          const b = Buffer.from(f.data);
          const tcp = 14 + (b[14]! & 0xf) * 4;
          expect([b.readUInt16BE(tcp), b.readUInt16BE(tcp + 2)]).toContain(pong.port);
        }
      } finally {
        await cap.stop();
      }
    });
  },
);
