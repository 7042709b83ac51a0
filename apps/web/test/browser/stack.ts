/**
 * Starts what the browser test drives: the real API (`tsx apps/api/src/main.ts`) on a temp
 * data dir and the built web app (`next start`), each on a free port.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const WEB_DIR = resolve(import.meta.dirname, '../..');
export const ROOT = resolve(WEB_DIR, '../..');
const BIN = join(ROOT, 'node_modules/.bin');

export interface Stack {
  apiPort: number;
  webPort: number;
  web: string;
  dataDir: string;
  adminToken: string;
  agentToken: string;
  adminPassword: string;
  logs: () => string;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => res(port));
    });
  });
}

async function waitForHttp(url: string, ms: number, alive: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive()) throw new Error(`process serving ${url} exited`);
    try {
      const r = await fetch(url, { redirect: 'manual' });
      if (r.status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

/** `next build` normally runs before the tests (npm test builds first); build here only if it did not. */
export function ensureWebBuilt(): void {
  if (existsSync(join(WEB_DIR, '.next/BUILD_ID'))) return;
  execFileSync(join(BIN, 'next'), ['build'], {
    cwd: WEB_DIR,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
}

function track(child: ChildProcess, name: string, sink: string[]): void {
  const add = (chunk: Buffer) => sink.push(`[${name}] ${chunk.toString()}`);
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // each child leads its own process group, so this reaches next-server's workers too
  if (child.pid) process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export async function startStack(): Promise<Stack> {
  ensureWebBuilt();
  const [apiPort, webPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'zs-web-'));
  const adminToken = `zsk_browser_${Math.random().toString(36).slice(2)}_admin`;
  const agentToken = `zsa_browser_${Math.random().toString(36).slice(2)}_agent`;
  const env = {
    ...process.env,
    ZEROSCOPE_API_PORT: String(apiPort),
    ZEROSCOPE_WEB_PORT: String(webPort),
    ZEROSCOPE_DATA_DIR: dataDir,
    ZEROSCOPE_ADMIN_TOKEN: adminToken,
    ZEROSCOPE_AGENT_TOKEN: agentToken,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const logs: string[] = [];
  const api = spawn(join(BIN, 'tsx'), ['apps/api/src/main.ts'], { cwd: ROOT, env, detached: true });
  track(api, 'api', logs);
  const children = [api];
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`http://127.0.0.1:${apiPort}/healthz`, 90_000, () => api.exitCode === null);
    const web = spawn(join(BIN, 'next'), ['start', '-p', String(webPort)], {
      cwd: WEB_DIR,
      env,
      detached: true,
    });
    track(web, 'web', logs);
    children.push(web);
    await waitForHttp(`http://127.0.0.1:${webPort}/login`, 60_000, () => web.exitCode === null);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${logs.join('')}`);
  }
  return {
    apiPort,
    webPort,
    web: `http://127.0.0.1:${webPort}`,
    dataDir,
    adminToken,
    agentToken,
    adminPassword: readFileSync(join(dataDir, 'admin-password.txt'), 'utf8').trim(),
    logs: () => logs.join(''),
    stop,
  };
}
