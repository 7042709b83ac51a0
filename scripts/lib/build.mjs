// Builds what needs building (BPF objects + addon, Prisma clients, the Next.js app) through turbo.
import { execFileSync } from 'node:child_process';

export function build(root, { web = true } = {}) {
  const args = ['turbo', 'run', 'build', '--env-mode=loose', '--output-logs=errors-only'];
  if (!web) args.push('--filter=!@zeroscope/web');
  execFileSync('npx', args, {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      TURBO_TELEMETRY_DISABLED: '1',
      NEXT_TELEMETRY_DISABLED: '1',
      TURBO_NO_UPDATE_NOTIFIER: '1',
    },
  });
}
