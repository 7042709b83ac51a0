import type { DataEvent } from '@zeroscope/bpf/capture';
import { Capture } from '@zeroscope/bpf/capture';
import { describe, expect, it } from 'vitest';
import { isRoot, SKIP_REASON, startNode, waitFor } from './helpers';

// Seven pieces written while the socket is corked leave in one writev(2) of seven iovecs,
// past the four the kernel program reads at once.
const PIECES = [
  'GET /iov HTTP/1.1\r\n',
  'a: 1\r\n',
  'bb: 22\r\n',
  'ccc: 333\r\n',
  'd: 4\r\n',
  'e: 5\r\n',
  '\r\n',
];

const CORKED = `
const net = require('node:net');
const pieces = ${JSON.stringify(PIECES)};
const srv = net.createServer((s) => s.on('data', () => {}));
srv.listen(0, '127.0.0.1', () => {
  console.log(srv.address().port);
  const c = net.connect(srv.address().port, '127.0.0.1', () => {
    setInterval(() => {
      c.cork();
      for (const p of pieces) c.write(p);
      process.nextTick(() => c.uncork());
    }, 50);
  });
});`;

describe.skipIf(!isRoot)(`vectored writes${isRoot ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  it('keep every iovec of a writev in order', async () => {
    const events: DataEvent[] = [];
    const cap = Capture.start({
      tcpEvents: false,
      tls: false,
      onData: (e) => events.push({ ...e, payload: e.payload.slice() }),
    });
    const child = await startNode(CORKED);
    try {
      const sent = () => events.filter((e) => e.pid === child.pid && e.direction === 'egress');
      const [e] = await waitFor(
        () => (sent().length >= 2 ? sent().slice(1) : undefined),
        () => cap.drain(),
      );
      expect(e?.syscall).toBe(20); // writev(2)
      expect(Buffer.from(e?.payload ?? []).toString('latin1')).toBe(PIECES.join(''));
    } finally {
      await child.stop();
      cap.stop();
    }
  });
});
