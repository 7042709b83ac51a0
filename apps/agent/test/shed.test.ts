import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { ensureBuilt } from '@zeroscope/bpf';
import type { RequestLog } from '@zeroscope/wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunArgs } from '../src/run/args';
import { startCapture } from '../src/run/capture';

const isRoot = process.getuid?.() === 0;
const SERVER = `
const http = require('node:http');
const srv = http.createServer((req, res) => res.end('pong'));
srv.listen(0, '127.0.0.1', () => console.log(srv.address().port));
`;

async function curl(url: string): Promise<void> {
  const p = spawn('curl', ['-s', '-o', '/dev/null', url], { stdio: 'ignore' });
  await once(p, 'exit');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// the overload guard's action (run/guard.ts decides when): socket capture off and on again
describe.skipIf(!isRoot)(`shedding load${isRoot ? '' : ' (skipped: needs root for eBPF)'}`, () => {
  let server: ReturnType<typeof spawn>;
  let port = 0;

  beforeAll(async () => {
    ensureBuilt();
    server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [b] = (await once(server.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
    port = Number.parseInt(b.toString(), 10);
  });

  afterAll(() => {
    server?.kill();
  });

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
      await curl(`http://127.0.0.1:${port}/before`);
      for (let i = 0; i < 100 && !seen('/before'); i++) await sleep(50);
      expect(seen('/before')).toBe(true);

      cap.shed(true);
      await curl(`http://127.0.0.1:${port}/while-shedding`);
      await sleep(500);
      cap.tick(Date.now() * 1000);

      cap.shed(false);
      await curl(`http://127.0.0.1:${port}/after`);
      for (let i = 0; i < 100 && !seen('/after'); i++) await sleep(50);
      expect(seen('/after')).toBe(true);
      expect(seen('/while-shedding')).toBe(false);
    } finally {
      await cap.stop();
    }
  });
});
