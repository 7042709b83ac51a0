/**
 * Profiles real processes through the kernel (perf_event + sched_switch), the real
 * symbolizer and the folded-stack aggregation: a C program spinning in a named function,
 * a node process with --perf-basic-prof spinning in a named JS function, and one without
 * the perf map (clear placeholder frame).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureBuilt } from '@zeroscope/bpf';
import type { ProfileRecord } from '@zeroscope/wire/profile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_BUDGET_FRAME, NODE_NO_PERF_MAP, type Profiling, startProfiling } from '../src/profiling';

const isRoot = process.getuid?.() === 0;
const C_SOURCE = `
#include <stdio.h>
__attribute__((noinline)) double burn_cpu_zeroscope(long n) {
  volatile double x = 0;
  for (long i = 0; i < n; i++) x += (double)i * 0.5;
  return x;
}
__attribute__((noinline)) void outer_zeroscope(void) { for (;;) burn_cpu_zeroscope(100000000L); }
int main(void) { printf("ready\\n"); fflush(stdout); outer_zeroscope(); return 0; }
`;
// Blocks in nanosleep from a raw syscall inside the named function, so the user stack at
// sched_switch starts in it (a libc wrapper without frame pointers would hide its caller).
const C_SLEEPY = `
#include <time.h>
__attribute__((noinline)) void sleepy_zeroscope(void) {
  struct timespec ts = {0, 20000000};
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(35L), "D"(&ts), "S"(0L) : "rcx", "r11", "memory");
}
int main(void) { for (;;) sleepy_zeroscope(); return 0; }
`;
const JS_SPIN = `function spinZeroscope(n){let x=0;for(let i=0;i<n;i++)x+=i*0.5;return x}
let t=0;for(;;)t+=spinZeroscope(5e7);`;

/** Share of a process's on-CPU samples whose stack contains `frame`. */
function share(rows: ProfileRecord[], pid: number, frame: RegExp): { share: number; total: number } {
  let total = 0;
  let hit = 0;
  for (const r of rows) {
    if (r.process_id !== pid || r.event_type !== 'on-cpu') continue;
    total += r.value;
    if (r.stack.split(';').some((f) => frame.test(f))) hit += r.value;
  }
  return { share: total ? hit / total : 0, total };
}

describe.skipIf(!isRoot)('continuous profiler on real processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zs-prof-'));
  const children: ChildProcess[] = [];
  let prof: Profiling;
  const logs: string[] = [];
  let rows: ProfileRecord[] = [];
  const pids = { c: 0, js: 0, bare: 0, sleepy: 0 };
  let windowNs = 0;

  beforeAll(async () => {
    ensureBuilt();
    const src = join(dir, 'burn.c');
    writeFileSync(src, C_SOURCE);
    // frame pointers: the kernel walks user stacks through them
    execFileSync('gcc', ['-O1', '-fno-omit-frame-pointer', '-o', join(dir, 'burn'), src]);
    writeFileSync(join(dir, 'sleepy.c'), C_SLEEPY);
    execFileSync('gcc', ['-O1', '-fno-omit-frame-pointer', '-o', join(dir, 'sleepy'), join(dir, 'sleepy.c')]);
    // every off-CPU switch walked (0: no budget), so attribution does not depend on host load
    prof = startProfiling({
      onRows: () => {},
      intervalMs: 3_600_000,
      offCpuStacksPerSec: 0,
      log: (l) => logs.push(l),
    });
    const start = (cmd: string, args: string[]) => {
      const p = spawn(cmd, args, { stdio: 'ignore' });
      children.push(p);
      return p.pid ?? 0;
    };
    pids.c = start(join(dir, 'burn'), []);
    pids.js = start(process.execPath, ['--perf-basic-prof', '-e', JS_SPIN]);
    pids.bare = start(process.execPath, ['-e', JS_SPIN]);
    pids.sleepy = start(join(dir, 'sleepy'), []);
    // past fork and exec: samples of the forked node before exec would count for the pid
    await sleep(500);
    const t0 = Date.now();
    prof.flush(); // drop what was counted before the children ran
    await sleep(4000);
    rows = prof.flush();
    // the interval is [start of the first flush, start of the second]: within this
    windowNs = (Date.now() - t0) * 1e6;
  });

  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    prof?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the native function dominating the C program', () => {
    const s = share(rows, pids.c, /^burn_cpu_zeroscope$/);
    const seen = rows.filter((r) => r.process_id === pids.c).map((r) => `${r.value} ${r.stack}`);
    expect(s.total).toBeGreaterThan(10);
    expect(s.share, seen.join('\n')).toBeGreaterThan(0.8);
    const row = rows.find((r) => r.process_id === pids.c && r.stack.includes('burn_cpu_zeroscope'));
    expect(row?.process_kname).toBe('burn');
    // root first: main calls outer_zeroscope calls burn_cpu_zeroscope
    expect(row?.stack).toMatch(/main;outer_zeroscope;burn_cpu_zeroscope/);
  });

  it('finds the JS function dominating the node process through its perf map', () => {
    const s = share(rows, pids.js, /spinZeroscope/);
    expect(s.total).toBeGreaterThan(10);
    expect(s.share).toBeGreaterThan(0.6);
  });

  it('marks JS frames of node without --perf-basic-prof, counts it and logs a few', () => {
    const s = share(rows, pids.bare, new RegExp(`^${NODE_NO_PERF_MAP.replace(/[[\]]/g, '\\$&')}$`));
    expect(s.share).toBeGreaterThan(0.6);
    // named at most once; other node processes on the host may take the first log lines
    expect(logs.filter((l) => l.includes(`node pid ${pids.bare} `)).length).toBeLessThanOrEqual(1);
    const perfMapLines = logs.filter((l) => l.includes('--perf-basic-prof'));
    expect(perfMapLines.length).toBeGreaterThanOrEqual(1);
    expect(perfMapLines.length).toBeLessThanOrEqual(4);
    expect(prof.stats().symbols.nodeWithoutPerfMap).toBeGreaterThanOrEqual(1);
  });

  it('measures off-CPU time from sched_switch where the process blocks', () => {
    let total = 0;
    let hit = 0;
    for (const r of rows) {
      if (r.process_id !== pids.sleepy || r.event_type !== 'off-cpu') continue;
      total += r.value;
      if (r.stack.split(';').includes('sleepy_zeroscope')) hit += r.value;
    }
    // nanoseconds: the process sleeps nearly all of the time it was watched (>= 4 s)
    expect(total).toBeGreaterThan(2e9);
    expect(total).toBeLessThanOrEqual(windowNs);
    expect(hit / total).toBeGreaterThan(0.8);
    // the kernel side of the stack is where it blocked
    const row = rows.find((r) => r.process_id === pids.sleepy && r.event_type === 'off-cpu');
    expect(row?.stack).toMatch(/sleepy_zeroscope;.*nanosleep.*_\[k\];.*schedule_\[k\]/);
  });

  it('never samples itself and counts kernel samples', () => {
    expect(rows.some((r) => r.process_id === process.pid)).toBe(false);
    expect(prof.stats().kernel.samples).toBeGreaterThan(0);
  });
});

describe.skipIf(!isRoot)('off-CPU stack budget', () => {
  it('keeps counting blocked time past the budget, under a placeholder, and counts the skips', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zs-prof-budget-'));
    const prof = startProfiling({ onRows: () => {}, intervalMs: 3_600_000, offCpuStacksPerSec: 1 });
    let child: ChildProcess | undefined;
    try {
      writeFileSync(join(dir, 'sleepy.c'), C_SLEEPY);
      execFileSync('gcc', [
        '-O1',
        '-fno-omit-frame-pointer',
        '-o',
        join(dir, 'sleepy'),
        join(dir, 'sleepy.c'),
      ]);
      child = spawn(join(dir, 'sleepy'), [], { stdio: 'ignore' });
      await sleep(500);
      prof.flush();
      await sleep(2000);
      const rows = prof.flush().filter((r) => r.process_id === child!.pid && r.event_type === 'off-cpu');
      const total = rows.reduce((s, r) => s + r.value, 0);
      const placeholder = rows.filter((r) => r.stack === NO_BUDGET_FRAME).reduce((s, r) => s + r.value, 0);
      // ~50 sleeps a second against one walk a second per CPU: nearly all time is unwalked
      expect(total).toBeGreaterThan(1e9);
      expect(placeholder / total).toBeGreaterThan(0.5);
      expect(prof.stats().kernel.stackBudget).toBeGreaterThan(20);
    } finally {
      child?.kill('SIGKILL');
      prof.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
