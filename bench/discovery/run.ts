/**
 * Discovery scan cost on this machine's real /proc, side by side: the floor (list /proc and
 * read every stat), an incremental tick, and a full rescan; plus the size of a full report
 * against a typical delta and the diff time. `npx tsx bench/discovery/run.ts`
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { diffResources, type ResourceReport } from '@zeroscope/wire/resources';
import { readHost, readInterfaces } from '../../apps/agent/src/discovery/host';
import { ProcessScanner } from '../../apps/agent/src/discovery/processes';

const EXTRA = 300;
const RUNS = 20;

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function median(fn: () => void): number {
  const xs = Array.from({ length: RUNS }, () => time(fn)).sort((a, b) => a - b);
  return xs[RUNS >> 1]!;
}

const children: ChildProcess[] = [];
for (let i = 0; i < EXTRA; i++)
  children.push(
    spawn('sleep', ['120'], { env: { OTEL_SERVICE_NAME: `svc-${i}`, DB_PASSWORD: 'x' }, stdio: 'ignore' }),
  );
await new Promise((r) => setTimeout(r, 500));

try {
  const scanner = new ProcessScanner();
  const procs = scanner.scan(true).length;
  const floor = median(() => {
    for (const n of fs.readdirSync('/proc'))
      if (/^\d+$/.test(n))
        try {
          fs.readFileSync(`/proc/${n}/stat`, 'utf8');
        } catch {}
  });
  const incremental = median(() => scanner.scan());
  const full = median(() => scanner.scan(true));

  const report = (): ResourceReport => ({
    time: Date.now() * 1000,
    host: readHost(),
    interfaces: readInterfaces(),
    processes: scanner.scan(),
    containers: [],
  });
  const a = report();
  const b = structuredClone(a);
  b.processes = b.processes.slice(1);
  b.processes[0]!.cmdline += ' --changed';
  const diffMs = median(() => diffResources(a, b));
  const fullBytes = JSON.stringify({ type: 'resources', full: true, seq: 0, report: a }).length;
  const deltaBytes = JSON.stringify({
    type: 'resources',
    full: false,
    seq: 1,
    delta: diffResources(a, b),
  }).length;

  console.log(`processes on the host: ${procs} (incl. ${EXTRA} spawned sleepers)`);
  console.log(`floor (readdir + every stat):  ${floor.toFixed(2)} ms`);
  console.log(
    `incremental tick:              ${incremental.toFixed(2)} ms  (${(incremental / floor).toFixed(2)}x floor)`,
  );
  console.log(
    `full rescan:                   ${full.toFixed(2)} ms  (${(full / floor).toFixed(2)}x floor, ${(full / incremental).toFixed(1)}x incremental)`,
  );
  console.log(`diff of two ${procs}-process reports: ${diffMs.toFixed(2)} ms`);
  console.log(
    `full report ${fullBytes} bytes vs delta (1 removed, 1 changed) ${deltaBytes} bytes: ${(fullBytes / deltaBytes).toFixed(0)}x smaller`,
  );
} finally {
  for (const c of children) c.kill('SIGKILL');
}
