/**
 * Two real API processes on one MariaDB: exactly one evaluates alert rules (the holder of the
 * lease row); when it dies without releasing, the other takes over once the lease expires.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMariadb, type TestDatabase, testDatabase } from '../src/resources/testing';
import { trpc } from './alert-helpers';
import { ADMIN_TOKEN, AGENT_TOKEN, freePort, REPO_ROOT } from './link-helpers';

interface Instance {
  proc: ChildProcess;
  base: string;
  dir: string;
  out: () => string;
}
interface Status {
  thisInstance: { owner: string; leader: boolean; leaderTicks: number } | null;
  lease: { owner: string; expiresAt: number } | null;
}

const missing = await ensureMariadb();

async function start(mysqlUrl: string): Promise<Instance> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'zs-alert-inst-'));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ZEROSCOPE_DATA_DIR: dir,
      ZEROSCOPE_API_PORT: String(port),
      ZEROSCOPE_ADMIN_TOKEN: ADMIN_TOKEN,
      ZEROSCOPE_AGENT_TOKEN: AGENT_TOKEN,
      ZEROSCOPE_CLICKHOUSE_URL: '',
      ZEROSCOPE_MYSQL_URL: mysqlUrl,
      ZEROSCOPE_ALERT_INTERVAL_MS: '200',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + 90_000;
  while (!out.includes('listening on')) {
    if (proc.exitCode !== null) throw new Error(`API exited:\n${out}`);
    if (Date.now() > deadline) throw new Error(`API did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { proc, base: `http://127.0.0.1:${port}`, dir, out: () => out };
}

const status = (i: Instance) => trpc<Status>(i.base, { token: ADMIN_TOKEN }, 'alerts.status', 'query');

describe.skipIf(missing !== undefined)('alert evaluation across API instances', () => {
  let db: TestDatabase;
  const instances: Instance[] = [];

  beforeAll(async () => {
    db = testDatabase('zs_alert_inst');
    // the first start migrates the database; the second finds it current
    instances.push(await start(db.url));
    instances.push(await start(db.url));
  });
  afterAll(async () => {
    for (const i of instances) {
      if (i.proc.exitCode === null && i.proc.signalCode === null) {
        const exited = new Promise((r) => i.proc.once('exit', r));
        i.proc.kill('SIGTERM');
        await exited;
      }
      rmSync(i.dir, { recursive: true, force: true });
    }
    await db?.drop();
  });

  it('one instance evaluates; the other takes over when it dies', async () => {
    const both = async () => Promise.all(instances.map(status));
    await expect
      .poll(async () => (await both()).filter((s) => s.thisInstance?.leader).length, { timeout: 15_000 })
      .toBe(1);
    const s = await both();
    const leaderIdx = s.findIndex((x) => x.thisInstance?.leader);
    const leader = instances[leaderIdx]!;
    const follower = instances[1 - leaderIdx]!;
    expect(s[1 - leaderIdx]!.lease?.owner).toBe(s[leaderIdx]!.thisInstance!.owner);
    // a follower keeps trying but never evaluates
    await new Promise((r) => setTimeout(r, 600));
    expect((await status(follower)).thisInstance).toMatchObject({ leader: false, leaderTicks: 0 });

    const died = Date.now();
    const exited = new Promise((r) => leader.proc.once('exit', r));
    leader.proc.kill('SIGKILL'); // no clean release: the lease must expire
    await exited;
    await expect
      .poll(async () => (await status(follower)).thisInstance?.leader, { timeout: 15_000 })
      .toBe(true);
    const after = await status(follower);
    expect(after.lease?.owner).toBe(after.thisInstance!.owner);
    // not before the dead holder's lease (5 s at a 200 ms interval) ran out
    expect(Date.now() - died).toBeGreaterThan(1000);
  });
});
