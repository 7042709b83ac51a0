import type { RequestLog } from '@zeroscope/wire';
import { describe, expect, it } from 'vitest';
import { parseRunArgs } from '../src/run/args';
import { startCapture } from '../src/run/capture';
import { curl, until, usePongServer } from './live-peers';

const isRoot = process.getuid?.() === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// the overload guard's action (run/guard.ts decides when): socket capture off and on again
describe.skipIf(!isRoot)(`shedding load${isRoot ? '' : ' (skipped: needs root for eBPF)'}`, () => {
  const pong = usePongServer();

  it('captures no requests while shedding, and captures them again after', async () => {
    const records: RequestLog[] = [];
    const args = parseRunArgs(['--server', 'ws://127.0.0.1:1', '--token', 't'], {});
    const cap = await startCapture(args, {
      onRecord: (r) => records.push(r),
      onFlowLog: () => {},
      log: () => {},
    });
    const seen = (path: string) => records.some((r) => r.request_resource === path);
    try {
      await curl(`http://127.0.0.1:${pong.port}/before`);
      await until(() => (seen('/before') ? true : undefined));
      expect(seen('/before')).toBe(true);

      expect(cap.shed(true)).toBe(true);
      await curl(`http://127.0.0.1:${pong.port}/while-shedding`);
      await sleep(500);
      cap.tick(Date.now() * 1000);

      expect(cap.shed(false)).toBe(true);
      await curl(`http://127.0.0.1:${pong.port}/after`);
      await until(() => (seen('/after') ? true : undefined));
      expect(seen('/after')).toBe(true);
      expect(seen('/while-shedding')).toBe(false);
    } finally {
      await cap.stop();
    }
  });

  it('says there is nothing to pause when only packet capture runs', async () => {
    const args = parseRunArgs(
      ['--server', 'ws://127.0.0.1:1', '--token', 't', '--no-ebpf', '--interfaces', 'lo'],
      {},
    );
    const lines: string[] = [];
    const cap = await startCapture(args, {
      onRecord: () => {},
      onFlowLog: () => {},
      log: (l) => lines.push(l),
    });
    try {
      expect(lines).toContain('packet capture on lo (request logs and flows)');
      expect(cap.shed(true)).toBe(false);
      expect(cap.shed(false)).toBe(false);
    } finally {
      await cap.stop();
    }
  });
});
