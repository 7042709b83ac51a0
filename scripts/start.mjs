// `npm start`: install what is missing, build, then run the API, the UI, a local agent and the demo.
// Flags: --no-web (API and agent only), --no-demo (no demo traffic).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './lib/build.mjs';
import { ensureNodeModules } from './lib/deps.mjs';
import { log } from './lib/log.mjs';
import { ensurePackages, ensureTracefs } from './lib/system.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const withWeb = !args.has('--no-web');
const withDemo = !args.has('--no-demo');

const apiPort = Number(process.env.ZEROSCOPE_API_PORT || 4000);
const webPort = Number(process.env.ZEROSCOPE_WEB_PORT || 3000);
const dataDir = resolve(root, process.env.ZEROSCOPE_DATA_DIR || 'data');
mkdirSync(dataDir, { recursive: true });

const canBuildBpf = ensurePackages(['build'], log);
ensureNodeModules(root, log);
if (!canBuildBpf) log('continuing without eBPF: the agent will fall back to what it can capture');
ensureTracefs(log);
build(root, { web: withWeb });

/** The agent token is seeded into the API at first start and reused by the local agent. */
function agentToken() {
  if (process.env.ZEROSCOPE_AGENT_TOKEN) return process.env.ZEROSCOPE_AGENT_TOKEN;
  const file = join(dataDir, 'agent-token');
  if (!existsSync(file)) writeFileSync(file, `zsa_${randomBytes(24).toString('hex')}\n`, { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

const env = {
  ...process.env,
  ZEROSCOPE_API_PORT: String(apiPort),
  ZEROSCOPE_WEB_PORT: String(webPort),
  ZEROSCOPE_DATA_DIR: dataDir,
  ZEROSCOPE_AGENT_TOKEN: agentToken(),
  NEXT_TELEMETRY_DISABLED: '1',
};
const tsx = join(root, 'node_modules/.bin/tsx');
const children = [];

function run(name, cmd, argv, opts = {}) {
  const child = spawn(cmd, argv, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  const prefix = (chunk) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((l) => `[${name}] ${l}\n`)
      .join('');
  child.stdout.on('data', (c) => process.stdout.write(prefix(c)));
  child.stderr.on('data', (c) => process.stderr.write(prefix(c)));
  child.on('exit', (code, signal) => {
    if (!stopping) log(`${name} exited (${signal ?? code})`);
    if (name === 'api' && !stopping) stop(1);
  });
  children.push(child);
  return child;
}

async function waitFor(url, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    try {
      const r = await fetch(url);
      if (r.status < 500) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  log('stopping');
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(code);
  }, 3000).unref();
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r))))).then(
    () => process.exit(code),
  );
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

run('api', tsx, ['apps/api/src/main.ts']);
if (!(await waitFor(`http://127.0.0.1:${apiPort}/healthz`, 120))) {
  log('the API did not come up');
  stop(1);
}
if (withWeb)
  run('web', join(root, 'node_modules/.bin/next'), ['start', '-p', String(webPort)], {
    cwd: join(root, 'apps/web'),
  });
run('agent', tsx, [
  'apps/agent/src/cli.ts',
  'run',
  '--server',
  `ws://127.0.0.1:${apiPort}/v1/agent`,
  '--token',
  env.ZEROSCOPE_AGENT_TOKEN,
]);
if (withDemo) run('demo', process.execPath, ['demo/run.mjs']);

if (withWeb) await waitFor(`http://127.0.0.1:${webPort}/login`, 60);
const pwFile = join(dataDir, 'admin-password.txt');
const password = existsSync(pwFile) ? readFileSync(pwFile, 'utf8').trim() : '(see the API output above)';
log('');
log(withWeb ? `UI:  http://localhost:${webPort}` : 'UI disabled (--no-web)');
log(`API: http://localhost:${apiPort}`);
log(`login: admin / ${password}`);
log('Ctrl-C stops everything');
