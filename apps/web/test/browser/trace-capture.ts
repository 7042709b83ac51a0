/**
 * Real trace data for the traces page: the demo chain (gateway -> catalog -> stock -> Redis /
 * PostgreSQL / MariaDB) serves a few requests while the real eBPF capture and the agent
 * pipeline watch it; returns the request logs exactly as the agent would ship them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { join } from 'node:path';
import { startEbpfCapture } from '@zeroscope/agent/ebpf';
import { createPipeline } from '@zeroscope/agent/pipeline';
import type { RequestLog } from '@zeroscope/wire/records';
import { freePort, ROOT } from './stack';

async function listening(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`demo service on ${port} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs `requests` requests through the demo chain under capture; the gateway's port comes back too. */
export async function captureDemoTraces(
  requests: number,
): Promise<{ records: RequestLog[]; gatewayPort: number }> {
  const ports = { gateway: await freePort(), catalog: await freePort(), stock: await freePort() };
  const env = {
    ...process.env,
    DEMO_GATEWAY_PORT: String(ports.gateway),
    DEMO_CATALOG_PORT: String(ports.catalog),
    DEMO_STOCK_PORT: String(ports.stock),
  };
  const demo = join(ROOT, 'demo');
  const children: ChildProcess[] = [
    spawn(process.execPath, [join(demo, 'stock.mjs')], { env, stdio: 'ignore' }),
    spawn('python3', [join(demo, 'catalog.py')], { env, stdio: 'ignore' }),
    spawn(process.execPath, [join(demo, 'gateway.mjs')], { env, stdio: 'ignore' }),
  ];
  const records: RequestLog[] = [];
  const pipeline = createPipeline({ onRecord: (r) => records.push(r) });
  try {
    for (const p of [ports.stock, ports.catalog, ports.gateway]) await listening(p, 15_000);
    const cap = await startEbpfCapture({
      ports: [ports.gateway, ports.catalog, ports.stock, 6379, 5432, 3306],
      excludePids: [process.pid],
      onChunk: (c) => pipeline.push(c),
    });
    // the entry client is a separate process, so its side of the first hop is captured too
    const load = spawn(
      process.execPath,
      [
        '-e',
        `const http = require('node:http'); const agent = new http.Agent({ keepAlive: true });
         let n = 0; const next = () => { if (n === ${requests}) { agent.destroy(); return; }
         http.get({ host: '127.0.0.1', port: ${ports.gateway}, path: '/api/items/' + (1 + n++ % 19), agent },
           (r) => { r.resume(); r.on('end', next); }); }; next();`,
      ],
      { stdio: 'ignore' },
    );
    await new Promise((r) => load.once('exit', r));
    await new Promise((r) => setTimeout(r, 500));
    await cap.stop();
    pipeline.flush();
  } finally {
    for (const c of children) c.kill('SIGKILL');
  }
  return { records, gatewayPort: ports.gateway };
}
