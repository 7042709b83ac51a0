import { openPacketSocket, portsFilter } from '@zeroscope/bpf';
import type { DataEvent } from '@zeroscope/bpf/capture';
import { Capture } from '@zeroscope/bpf/capture';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Child, HTTP_SERVER, isRoot, run, SKIP_REASON, startNode, waitFor } from './helpers';

/** TCP sequence of the segment whose payload starts with `prefix`, from raw frames. */
function seqOf(frames: Uint8Array[], prefix: string): number | undefined {
  for (const f of frames) {
    const b = Buffer.from(f);
    if (b.readUInt16BE(12) !== 0x0800) continue;
    const ihl = (b[14]! & 0xf) * 4;
    const tcp = 14 + ihl;
    const payload = tcp + (b[tcp + 12]! >> 4) * 4;
    if (b.toString('latin1', payload, payload + prefix.length) === prefix) return b.readUInt32BE(tcp + 4);
  }
  return undefined;
}

describe.skipIf(!isRoot)(
  `socket capture of a curl request${isRoot ? '' : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    let server: Child;
    let cap: Capture;
    const events: DataEvent[] = [];
    const frames: Uint8Array[] = [];
    let sock: ReturnType<typeof openPacketSocket>;

    beforeAll(async () => {
      server = await startNode(HTTP_SERVER);
      cap = Capture.start({ ports: [server.port], onData: (e) => events.push(e) });
      sock = openPacketSocket({
        interface: 'lo',
        filter: portsFilter([server.port]),
        onFrames: (fs) => {
          for (const f of fs) if (f.pktType !== 4) frames.push(Buffer.from(f.data));
        },
      });
    });

    afterAll(async () => {
      sock?.close();
      cap?.stop();
      await server?.stop();
    });

    it('sees the request and the response with payload, pid, 4-tuple and TCP sequence', async () => {
      const curl = await run('curl', [
        '-s',
        '-w',
        '\\n%{local_port}',
        `http://127.0.0.1:${server.port}/hello?x=1`,
      ]);
      expect(curl.code).toBe(0);
      const localPort = Number(curl.stdout.trim().split('\n').pop());
      const find = (pred: (e: DataEvent) => boolean) =>
        waitFor(
          () => events.find(pred),
          () => cap.drain(),
        );

      const sent = await find((e) => e.pid === curl.pid && e.direction === 'egress');
      expect(Buffer.from(sent.payload).toString()).toMatch(/^GET \/hello\?x=1 HTTP\/1\.1\r\n/);
      expect(sent.comm).toBe('curl');
      expect(sent.side).toBe('client');
      expect(sent.sideGuessed).toBe(false); // from connect(), seen by the TCP state hook
      expect(sent.proto).toBe('http1');
      expect(sent.totalLength).toBe(sent.payload.length);
      expect(sent.tuple).toEqual({
        l4: 'tcp',
        localIp: '127.0.0.1',
        localPort,
        remoteIp: '127.0.0.1',
        remotePort: server.port,
      });

      const recv = await find((e) => e.pid === server.pid && e.direction === 'ingress');
      expect(recv.side).toBe('server');
      expect(recv.sideGuessed).toBe(false); // from the handshake's end
      expect(recv.tuple.remotePort).toBe(localPort);
      expect(recv.tcpSeq).toBe(sent.tcpSeq);
      expect(Buffer.from(recv.payload)).toEqual(Buffer.from(sent.payload));

      // Node writes the response with writev: headers and body iovecs both arrive
      const resp = await find((e) => e.pid === server.pid && e.direction === 'egress');
      const text = Buffer.from(resp.payload).toString();
      expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(text).toContain('x-test: zeroscope');
      expect(text).toContain('hello from server');
      expect(resp.traceId).toBe(recv.traceId);
      expect(resp.traceId).not.toBe(0);

      const got = await find((e) => e.pid === curl.pid && e.direction === 'ingress');
      expect(got.tcpSeq).toBe(resp.tcpSeq);

      // the kernel's sequence numbers agree with the wire
      const wireSeq = await waitFor(
        () => seqOf(frames, 'GET /hello'),
        () => sock.drain(),
      );
      expect(sent.tcpSeq).toBe(wireSeq);
      expect(cap.stats().drops).toBe(0);
    });
  },
);
