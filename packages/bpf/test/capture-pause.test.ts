import { describe, expect, it } from 'vitest';
import { captureProcess, isRoot, SKIP_REASON, startNode, waitFor } from './helpers';

// an HTTP-looking write every 10 ms to a server in the same process, until killed
const WRITER = `
const net = require('node:net');
const srv = net.createServer((s) => s.resume());
srv.listen(0, '127.0.0.1', () => {
  console.log(srv.address().port);
  const c = net.connect(srv.address().port, '127.0.0.1', () => {
    setInterval(() => c.write('GET /p HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'), 10);
  });
});`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!isRoot)(`capture pause${isRoot ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  it('sees nothing while paused and sees the process again after resume', async () => {
    const child = await startNode(WRITER);
    const { cap, events, atLeast } = captureProcess(child.pid);
    try {
      await atLeast(5);
      cap.pause();
      expect(cap.paused).toBe(true);
      await sleep(50);
      cap.drain();
      cap.drain();
      const seen = events.length;
      const lastSeq = events.filter((e) => e.direction === 'egress').at(-1)?.tcpSeq ?? 0;
      await sleep(300); // ~30 writes and as many reads
      cap.drain();
      expect(events.length).toBe(seen);
      cap.resume();
      expect(cap.paused).toBe(false);
      const next = await waitFor(
        () => events.slice(seen).find((e) => e.direction === 'egress'),
        () => cap.drain(),
      );
      // the 28-byte writes made while paused are missing: the sequence jumped past them
      expect(next.tcpSeq - lastSeq).toBeGreaterThan(10 * 30);
    } finally {
      cap.stop();
      await child.stop();
    }
  });
});
