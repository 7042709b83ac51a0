/**
 * Child process of run.ts: starts the agent's profiler (99 Hz, off-CPU on), warms its
 * symbol caches for one 3 s interval (reported apart), then lets it sample for `seconds`
 * while run.ts keeps the CPUs busy, draining at the agent's interval, and prints its own
 * CPU time (user+system) over that window as JSON, plus the kernel-side run time of the
 * BPF programs (bpf_stats), which the sampled processes pay, not the agent.
 *   tsx bench/profiling/agent-cost.ts SECONDS INTERVAL_MS
 */
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { startProfiling } from '@zeroscope/agent/profiling';

const seconds = Number(process.argv[2] ?? 10);
const intervalMs = Number(process.argv[3] ?? 10_000);

interface ProgStat {
  name: string;
  run_time_ns?: number;
  run_cnt?: number;
}

function progStats(): ProgStat[] {
  try {
    const all = JSON.parse(
      execFileSync('bpftool', ['prog', 'show', '-j'], { encoding: 'utf8' }),
    ) as ProgStat[];
    return all.filter((p) => p.name === 'profile_cpu' || p.name.startsWith('offcpu_'));
  } catch {
    return [];
  }
}

let rows = 0;
// the agent's drains, driven here so the window holds whole intervals
const prof = startProfiling({ intervalMs: 3_600_000, onRows: () => {} });
prof.flush(); // load and attach are one-time costs
// warm-up: the first interval parses kallsyms and each binary's symbols once
const w0 = process.cpuUsage();
await sleep(3000);
prof.flush();
const warm = process.cpuUsage(w0);
const before = progStats();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
// CPU per agent interval too: on a shared host, new binaries appearing in one interval
// cost that interval their symbol parse, so the median says more than the sum
const perInterval: number[] = [];
for (let left = seconds * 1000; left > 0; left -= intervalMs) {
  const c = process.cpuUsage();
  const w = performance.now();
  await sleep(Math.min(intervalMs, left));
  rows += prof.flush().length;
  const d = process.cpuUsage(c);
  perInterval.push(((d.user + d.system) / 1000 / (performance.now() - w)) * 100);
}
const cpu = process.cpuUsage(cpu0);
const wallMs = performance.now() - t0;
const after = progStats();
const s = prof.stats();
prof.stop();

const bpf = after.map((p) => {
  const b = before.find((x) => x.name === p.name);
  return {
    name: p.name,
    runNs: (p.run_time_ns ?? 0) - (b?.run_time_ns ?? 0),
    runs: (p.run_cnt ?? 0) - (b?.run_cnt ?? 0),
  };
});
process.stdout.write(
  `${JSON.stringify({
    wallMs,
    cpuUs: cpu.user + cpu.system,
    rows,
    samples: s.kernel.samples,
    intervals: s.intervals,
    lastCollectMs: s.lastCollectMs,
    rssMb: process.memoryUsage().rss / 1048576,
    warmupCpuUs: warm.user + warm.system,
    perIntervalPct: perInterval,
    symbols: s.symbols,
    bpf,
  })}\n`,
);
