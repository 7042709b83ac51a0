// Demo traffic for a new user: gateway (Node) -> catalog (Python) -> stock (Node) -> Redis / MariaDB,
// catalog also reads PostgreSQL. Each peer is used only when it listens on this machine.
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const base = Number(process.env.ZEROSCOPE_DEMO_PORT_BASE || 18080);
const ports = { gateway: base, catalog: base + 1, stock: base + 2 };
const env = {
  ...process.env,
  DEMO_GATEWAY_PORT: String(ports.gateway),
  DEMO_CATALOG_PORT: String(ports.catalog),
  DEMO_STOCK_PORT: String(ports.stock),
};
const hasPython = spawnSync('python3', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasPython) env.DEMO_CATALOG_URL = `http://127.0.0.1:${ports.stock}`;

// --perf-basic-prof-only-functions: node writes /tmp/perf-PID.map, so the profiler names
// JS functions in the demo's flame graphs (README, Continuous profiling)
const NODE_FLAGS = ['--perf-basic-prof-only-functions'];
const children = [
  spawn(process.execPath, [...NODE_FLAGS, join(here, 'stock.mjs')], { env, stdio: 'inherit' }),
  spawn(process.execPath, [...NODE_FLAGS, join(here, 'gateway.mjs')], { env, stdio: 'inherit' }),
];
if (hasPython) children.push(spawn('python3', [join(here, 'catalog.py')], { env, stdio: 'inherit' }));
else process.stdout.write('python3 not found: the demo runs without the Python catalog service\n');

const stop = () => {
  for (const c of children) c.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// Load: a few requests per second, some for unknown items (404) so errors show up too.
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
setInterval(() => {
  const id = Math.floor(Math.random() * 24);
  const req = http.get(
    { host: '127.0.0.1', port: ports.gateway, path: `/api/items/${id}?src=demo`, agent },
    (res) => res.resume(),
  );
  req.on('error', () => {});
}, 250);
process.stdout.write(`demo: gateway on http://127.0.0.1:${ports.gateway}/api/items/1\n`);
