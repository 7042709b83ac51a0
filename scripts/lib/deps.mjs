// npm dependencies: install when node_modules is missing or older than the lockfile.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

export function ensureNodeModules(root, log) {
  const lock = `${root}/package-lock.json`;
  const marker = `${root}/node_modules/.package-lock.json`;
  const fresh = existsSync(marker) && existsSync(lock) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
  if (fresh) return;
  log('installing npm packages');
  const cmd = existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  execFileSync('npm', cmd, { cwd: root, stdio: 'inherit' });
}
