/**
 * End to end: the agent's Sender (encoder + WebSocket) in this process -> the real API
 * (`tsx apps/api/src/main.ts`, its own process) -> decode, ledger, group commit -> chDB.
 * rows/s counts from the first enqueue until the last ack (acks follow the durable write).
 * ZS_BENCH_API_NODE_ARGS adds node flags to the API process (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sender } from '@zeroscope/agent/sender';
import { openTelemetryStore } from '@zeroscope/api/storage';
import type { RequestLog } from '@zeroscope/wire/records';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'zsa_bench_agent_token_0123456789abcdef';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function startApi(dataDir: string, port: number): Promise<ChildProcess> {
  const proc = spawn(
    process.execPath,
    [
      ...(process.env.ZS_BENCH_API_NODE_ARGS ? process.env.ZS_BENCH_API_NODE_ARGS.split(' ') : []),
      '--import',
      'tsx',
      'apps/api/src/main.ts',
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ZEROSCOPE_DATA_DIR: dataDir,
        ZEROSCOPE_API_PORT: String(port),
        ZEROSCOPE_AGENT_TOKEN: TOKEN,
        ZEROSCOPE_CLICKHOUSE_URL: '',
        ZEROSCOPE_MYSQL_URL: '',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  proc.stdout!.on('data', (d) => {
    out += d;
  });
  while (!out.includes('listening on')) {
    if (proc.exitCode !== null) throw new Error(`API exited: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return proc;
}

/** CPU seconds (user + system, all threads) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in USER_HZ ticks
}

/** CPU seconds per thread name (comm) of a process, from /proc/PID/task. */
function threadCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/[0-9]+$/, 'N');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(name, (out.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

export interface E2eResult {
  rows: number;
  rowsPerSec: number;
  /** CPU microseconds per row in the API process (all threads, chDB included) */
  apiCpuUsPerRow: number;
  /** CPU microseconds per row in the agent process (encode + WebSocket) */
  agentCpuUsPerRow: number;
  storedRows: number;
  bytesPerRowOnDisk: number;
  senderDroppedRows: number;
  /** the API's CPU microseconds per row by thread name, largest first */
  apiThreads: [string, number][];
}

export async function benchEndToEnd(
  records: RequestLog[],
  total: number,
  /** sender settings; the agent's defaults for whatever is left out */
  senderOpts: { batchRows?: number; maxInflight?: number } = {},
): Promise<E2eResult> {
  const dir = mkdtempSync(join(tmpdir(), 'zs-bench-e2e-'));
  const port = await freePort();
  const api = await startApi(dir, port);
  try {
    const sender = new Sender({
      url: `ws://127.0.0.1:${port}`,
      token: TOKEN,
      hostname: 'bench-node',
      ...senderOpts,
    });
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (sender.stats().connected) {
          clearInterval(t);
          resolve();
        }
      }, 10);
    });
    const t0 = performance.now();
    const api0 = cpuSeconds(api.pid!);
    const threads0 = threadCpu(api.pid!);
    const agent0 = process.cpuUsage();
    let produced = 0;
    const step = sender.options.batchRows;
    while (produced < total) {
      const n = Math.min(step, total - produced);
      // Produce as fast as the link drains, never past the sender's buffer bound (it would drop).
      if (sender.stats().bufferedRows + n > sender.options.maxBufferedRows) {
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      for (let i = 0; i < n; i++) sender.enqueueAs('request_log', records[(produced + i) % records.length]!);
      produced += n;
      await new Promise((r) => setImmediate(r));
    }
    await sender.flush();
    const secs = (performance.now() - t0) / 1000;
    const apiCpu = cpuSeconds(api.pid!) - api0;
    const apiThreads = [...threadCpu(api.pid!)]
      .map(([name, s]): [string, number] => [
        name,
        Math.round(((s - (threads0.get(name) ?? 0)) * 1e8) / total) / 100,
      ])
      .filter(([, us]) => us >= 0.05)
      .sort((a, b) => b[1] - a[1]);
    const agentCpu = process.cpuUsage(agent0);
    const dropped = sender.stats().droppedRows;
    await sender.close();
    api.kill('SIGTERM');
    await new Promise((r) => api.once('exit', r));

    const store = await openTelemetryStore({ dataDir: dir, clickhouseUrl: undefined });
    try {
      await store.command('OPTIMIZE TABLE flow_log.l7_flow_log FINAL');
      const [p] = await store.query<{ rows: number; bytes: number }>(
        `SELECT sum(rows) AS rows, sum(data_compressed_bytes) AS bytes FROM system.parts
         WHERE database = 'flow_log' AND table = 'l7_flow_log' AND active`,
      );
      return {
        rows: total,
        rowsPerSec: Math.round(total / secs),
        apiCpuUsPerRow: Math.round(((apiCpu * 1e6) / total) * 100) / 100,
        agentCpuUsPerRow: Math.round(((agentCpu.user + agentCpu.system) / total) * 100) / 100,
        storedRows: Number(p!.rows),
        bytesPerRowOnDisk: Math.round((Number(p!.bytes) / Number(p!.rows)) * 10) / 10,
        senderDroppedRows: dropped,
        apiThreads,
      };
    } finally {
      await store.close();
    }
  } finally {
    if (api.exitCode === null) api.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
