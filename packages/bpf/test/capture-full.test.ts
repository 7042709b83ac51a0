import type { DataEvent } from '@zeroscope/bpf/capture';
import { Capture } from '@zeroscope/bpf/capture';
import { describe, expect, it } from 'vitest';
import { isRoot, PY_CONNECTED, run, SKIP_REASON } from './helpers';

const MESSAGES = 60;

// 60 requests of ~1 KiB in one burst from one thread, pinned to one CPU once connected
const BURST = `${PY_CONNECTED}
os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
for i in range(${MESSAGES}):
    c.send(b'POST /full HTTP/1.1\\r\\nx-n: %d\\r\\n\\r\\n' % i + b'z' * 1000)
c.close()
`;

describe.skipIf(!isRoot)(`a full data ring${isRoot ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  it('drops what does not fit, counts it, and delivers the rest whole and in order', async () => {
    const events: DataEvent[] = [];
    // 4 KiB rings and a reader that only drains when asked: at most a few records fit
    const cap = Capture.start({
      ringBytes: 4096,
      intervalMs: 60_000,
      tcpEvents: false,
      tls: false,
      onData: (e) => events.push({ ...e, payload: e.payload.slice() }),
    });
    try {
      const py = await run('python3', ['-c', BURST]);
      expect(py.code).toBe(0);
      cap.drain();
      const sent = events.filter((e) => e.pid === py.pid && e.direction === 'egress');
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.length).toBeLessThan(MESSAGES);
      expect(cap.stats().drops).toBeGreaterThanOrEqual(MESSAGES - sent.length);
      let last = -1;
      for (const e of sent) {
        const text = Buffer.from(e.payload).toString('latin1');
        const n = Number(/x-n: (\d+)/.exec(text)?.[1]);
        expect(n).toBeGreaterThan(last);
        last = n;
        expect(text.endsWith('z'.repeat(900))).toBe(true);
      }
      // the drained ring takes records again
      const again = await run('python3', ['-c', BURST]);
      cap.drain();
      expect(events.some((e) => e.pid === again.pid)).toBe(true);
    } finally {
      cap.stop();
    }
  });
});
