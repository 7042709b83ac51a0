// `npm test`: installs what is missing, builds, then lint, typecheck and every test suite.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './lib/build.mjs';
import { ensureNodeModules } from './lib/deps.mjs';
import { log } from './lib/log.mjs';
import { ensureMariadb, ensurePackages, ensureTracefs } from './lib/system.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', NEXT_TELEMETRY_DISABLED: '1' };
const failures = [];

function stage(name, cmd, args) {
  log(`== ${name}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) failures.push(name);
  return r.status === 0;
}

// Debian packages first: the workspace install needs nothing native, but the build does.
if (!ensurePackages(['build', 'test'], log)) process.exit(1);
ensureNodeModules(root, log);
ensureTracefs(log);
await ensureMariadb(log);
build(root);

stage('lint and format (biome)', 'npx', ['biome', 'check', '.']);
stage('typecheck', 'npx', ['turbo', 'run', 'typecheck', '--env-mode=loose', '--output-logs=errors-only']);

const report = join(root, 'data', 'test-report.json');
mkdirSync(dirname(report), { recursive: true });
stage('tests (vitest, every workspace)', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
]);

if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // The plain closing line CI reads.
  process.stdout.write(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped\n`);
}
if (failures.length > 0) {
  log(`failed stages: ${failures.join(', ')}`);
  process.exit(1);
}
