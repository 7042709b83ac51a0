/** Runs the package build (idempotent: a no-op when outputs are fresh). For tests and
 * tools that need the addon and objects before they load them. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './native';

export function ensureBuilt(): void {
  execFileSync(process.execPath, [join(PACKAGE_ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
}
