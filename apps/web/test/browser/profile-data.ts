/**
 * Real profile data for the browser test: a C program spinning in `burn_cpu_zeroscope`
 * (built with gcc here), sampled by the agent's profiler (perf_event eBPF, needs root) and
 * shipped by the agent Sender over /v1/agent into the running API.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startProfiling } from '@zeroscope/agent/profiling';
import { Sender } from '@zeroscope/agent/sender';
import type { Stack } from './stack';

const C_SOURCE = `
__attribute__((noinline)) double burn_cpu_zeroscope(long n) {
  volatile double x = 0;
  for (long i = 0; i < n; i++) x += (double)i * 0.5;
  return x;
}
__attribute__((noinline)) void outer_zeroscope(void) { for (;;) burn_cpu_zeroscope(100000000L); }
int main(void) { outer_zeroscope(); return 0; }
`;

/** Profiles the spinner for `ms` and returns its pid once every row is acked. */
export async function ingestProfile(stack: Stack, ms = 3000): Promise<{ pid: number; rows: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'zs-web-prof-'));
  let child: ChildProcess | undefined;
  const sender = new Sender({
    url: `ws://127.0.0.1:${stack.apiPort}`,
    token: stack.agentToken,
    hostname: 'browser-profile',
  });
  try {
    writeFileSync(join(dir, 'burn.c'), C_SOURCE);
    execFileSync('gcc', ['-O1', '-fno-omit-frame-pointer', '-o', join(dir, 'burn'), join(dir, 'burn.c')]);
    let rows = 0;
    const prof = startProfiling({
      intervalMs: 3_600_000,
      onRows: (batch) => {
        rows += batch.length;
        for (const r of batch) sender.enqueueAs('profile', r);
      },
    });
    child = spawn(join(dir, 'burn'), [], { stdio: 'ignore' });
    try {
      // past fork and exec (a forked node's samples before exec count for the same pid)
      await sleep(500);
      prof.flush();
      await sleep(ms);
    } finally {
      prof.stop();
    }
    await sender.flush();
    const until = Date.now() + 30_000;
    while (sender.stats().ackedRows < rows) {
      if (Date.now() > until) throw new Error('profile rows were not acked');
      await sleep(50);
    }
    return { pid: child.pid ?? 0, rows };
  } finally {
    child?.kill('SIGKILL');
    await sender.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
