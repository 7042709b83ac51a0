/** Helpers for the agent-link tests: a free port and the real API in a child process. */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const AGENT_TOKEN = 'zsa_test_agent_token_0123456789abcdef';
export const ADMIN_TOKEN = 'zsk_test_admin_token_0123456789abcdef';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface ApiProcess {
  proc: ChildProcess;
  output(): string;
  /** resolves with the exit code or signal */
  exited: Promise<number | string>;
}

/** Starts `tsx apps/api/src/main.ts` and resolves once it listens. */
export async function startApi(dataDir: string, port: number, timeoutMs = 90_000): Promise<ApiProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ZEROSCOPE_DATA_DIR: dataDir,
      ZEROSCOPE_API_PORT: String(port),
      ZEROSCOPE_ADMIN_TOKEN: ADMIN_TOKEN,
      ZEROSCOPE_AGENT_TOKEN: AGENT_TOKEN,
      ZEROSCOPE_CLICKHOUSE_URL: '',
      ZEROSCOPE_MYSQL_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => {
    out += d;
  });
  proc.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | string>((resolve) =>
    proc.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const deadline = Date.now() + timeoutMs;
  while (!out.includes('listening on')) {
    if (proc.exitCode !== null || proc.signalCode !== null)
      throw new Error(`API exited before listening:\n${out}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`API did not listen within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { proc, output: () => out, exited };
}

export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
