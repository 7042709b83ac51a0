import type { CaptureOptions, DataEvent } from '@zeroscope/bpf/capture';
import { Capture } from '@zeroscope/bpf/capture';
import { describe, expect, it } from 'vitest';
import { isRoot, SKIP_REASON, startNode, waitFor } from './helpers';

// Message sizes around the kernel program's record size classes (256 B, 512 B, payloadSize).
const SIZES = [40, 256, 257, 300, 512, 513, 700, 1024, 1025, 3000];

/** Message i: an HTTP request line, then bytes that name their own offset and message. */
function message(i: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let k = 0; k < size; k++) b[k] = (k * 7 + i * 13) & 0xff;
  b.write('POST /sizes HTTP/1.1\r\n', 0, 'latin1');
  return b;
}

// A client that sends each message with one write() and waits for a one-byte answer (and
// 25 ms: the reader's timer drains between messages, so the 4 KiB rings below never fill).
const CLIENT = `
const net = require('node:net');
const sizes = ${JSON.stringify(SIZES)};
${message.toString()}
const srv = net.createServer((s) => s.on('data', () => s.write('k')));
srv.listen(0, '127.0.0.1', () => {
  console.log(srv.address().port);
  const c = net.connect(srv.address().port, '127.0.0.1', () => {
    let i = 0;
    const next = () => (i < sizes.length ? c.write(message(i, sizes[i++])) : undefined);
    c.on('data', () => setTimeout(next, 25));
    setTimeout(next, 300);
  });
});`;

const CASES: [string, CaptureOptions][] = [
  ['in our own rings', { payloadSize: 1024 }],
  ['in our own rings, payload 300', { payloadSize: 300 }],
  // ~20 KiB of records through 4 KiB rings: records run past a ring's end and the next wrap
  ['in our own 4 KiB rings', { payloadSize: 1024, ringBytes: 4096 }],
  ['in the kernel rings', { payloadSize: 1024, ownRings: false }],
];

describe.skipIf(!isRoot)(`record sizes${isRoot ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  for (const [name, opts] of CASES) {
    const payloadSize = opts.payloadSize ?? 1024;
    it(`every write keeps its exact first ${payloadSize} bytes, length and capture sequence, ${name}`, async () => {
      const events: DataEvent[] = [];
      const cap = Capture.start({
        ...opts,
        onData: (e) => events.push({ ...e, payload: e.payload.slice() }),
      });
      const child = await startNode(CLIENT);
      try {
        const sent = () =>
          events.filter(
            (e) => e.pid === child.pid && e.direction === 'egress' && e.tuple.remotePort === child.port,
          );
        await waitFor(
          () => (sent().length >= SIZES.length ? true : undefined),
          () => cap.drain(),
        );
        const got = sent();
        expect(got.map((e) => e.totalLength)).toEqual(SIZES);
        expect(got.map((e) => e.syscall)).toEqual(SIZES.map(() => 1)); // write(2)
        got.forEach((e, i) => {
          const want = message(i, SIZES[i]!).subarray(0, Math.min(SIZES[i]!, payloadSize));
          expect(Buffer.from(e.payload).equals(want), `message ${i} (${SIZES[i]} B)`).toBe(true);
        });
        // the socket's records (writes and the answers read) number 0, 1, 2, ... with no hole
        const sock = events.filter((e) => e.sockId === got[0]!.sockId).map((e) => e.capSeq);
        expect(sock).toEqual(sock.map((_, k) => sock[0]! + k));
        expect(cap.stats().drops).toBe(0);
      } finally {
        await child.stop();
        cap.stop();
      }
    });
  }
});
