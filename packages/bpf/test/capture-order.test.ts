import { availableParallelism } from 'node:os';
import type { DataEvent } from '@zeroscope/bpf/capture';
import { Capture } from '@zeroscope/bpf/capture';
import { describe, expect, it } from 'vitest';
import { isRoot, PY_CONNECTED, run, SKIP_REASON, waitFor } from './helpers';

const MESSAGES = 400;

// One socket, its writer moved to another CPU before every message: each CPU's ring
// holds every other message, and a reader that emptied the rings one after another
// would hand them over as 0, 2, 4, ... then 1, 3, 5, ...
const WRITER = `${PY_CONNECTED}
cpus = sorted(os.sched_getaffinity(0))
for i in range(${MESSAGES}):
    os.sched_setaffinity(0, {cpus[i % len(cpus)]})
    c.send(b'POST /order HTTP/1.1\\r\\nx-n: %d\\r\\n\\r\\n' % i)
c.close()
`;

describe.skipIf(!isRoot || availableParallelism() < 2)(
  `per-CPU rings${isRoot ? '' : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    it("delivers one socket's records in order when its writer hops between CPUs", async () => {
      const events: DataEvent[] = [];
      const cap = Capture.start({ onData: (e) => events.push(e), intervalMs: 5 });
      try {
        const py = await run('python3', ['-c', WRITER]);
        expect(py.code).toBe(0);
        const sent = () => events.filter((e) => e.pid === py.pid && e.direction === 'egress');
        await waitFor(
          () => (sent().length >= MESSAGES ? true : undefined),
          () => cap.drain(),
        );
        const got = sent();
        const n = got.map((e) => Number(/x-n: (\d+)/.exec(Buffer.from(e.payload).toString('latin1'))?.[1]));
        expect(n).toEqual([...Array(MESSAGES).keys()]);
        const ts = got.map((e) => e.tsNs);
        expect(ts).toEqual([...ts].sort((a, b) => a - b));
      } finally {
        cap.stop();
      }
    });
  },
);
