import { describe, expect, it } from 'vitest';
import { captureProcess, isRoot, SKIP_REASON, startNode } from './helpers';

/** sizeof(struct zs_data_event): the fixed part before the payload (events.h) */
const DATA_FIXED = 128;

// HTTP-looking writes of 20, 100 and 300 bytes, each answered with one byte, until killed.
const CHATTY = `
const net = require('node:net');
const srv = net.createServer((s) => s.on('data', () => s.write('k')));
srv.listen(0, '127.0.0.1', () => {
  console.log(srv.address().port);
  const c = net.connect(srv.address().port, '127.0.0.1', () => {
    let i = 0;
    setInterval(() => {
      const b = Buffer.alloc([20, 100, 300][i++ % 3], 0x41);
      b.write('GET / HTTP/1.1\\r\\n');
      c.write(b);
    }, 20);
  });
});`;

describe.skipIf(!isRoot)(`ring records${isRoot ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  it('carry only the bytes written, not the fixed size reserved for them', async () => {
    const child = await startNode(CHATTY);
    const { cap, events, atLeast } = captureProcess(child.pid);
    try {
      await atLeast(30);
      cap.drain();
      const { bytes } = cap.stats();
      // each record: [u32 size][u32 0] then the event padded to 8 bytes
      const want = events.reduce((n, e) => n + 8 + ((DATA_FIXED + e.payload.length + 7) & ~7), 0);
      expect(events.every((e) => e.pid === child.pid)).toBe(true);
      expect(new Set(events.map((e) => e.payload.length))).toEqual(new Set([1, 20, 100, 300]));
      expect(bytes).toBe(want);
    } finally {
      cap.stop();
      await child.stop();
    }
  });
});
