/**
 * Probe cost per write() syscall on a loopback TCP socket, side by side in one run:
 * nothing attached, capture attached but the writer filtered out (pid filter), and
 * capture attached with the writer captured (1 KiB payload copied, ring drained in
 * batches by this process). The writer spins GAP_NS after each write in all three modes so
 * the reader keeps up (flat out, a 1 KiB write every ~0.5 µs outruns any reader and the
 * ring drops, which costs the writer less, not more); a last flat-out pass shows that.
 * Run as root: npx tsx bench/syscall/run.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '@zeroscope/bpf';
import { Capture } from '@zeroscope/bpf/capture';

const ITERS = Number(process.env.ITERS ?? 200_000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const SIZE = 1024;
/** spin after each write so the ring's reader keeps up (0: flat out; the reader then falls behind and the kernel drops) */
const GAP_NS = Number(process.env.GAP_NS ?? 2000);
/** extra Capture options for experiments, e.g. CAPTURE_OPTS='{"wakeupBytes":2097152}' */
const extra = JSON.parse(process.env.CAPTURE_OPTS ?? '{}');

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(mkdtempSync(join(tmpdir(), 'zs-bench-')), 'writer');
execFileSync('cc', ['-O2', '-o', bin, join(here, 'writer.c')]);
ensureBuilt();

interface Sample {
  wall: number;
  cpu: number;
}

async function measure(gapNs = GAP_NS): Promise<Sample> {
  // async spawn: this process's event loop keeps draining the ring meanwhile
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const p = spawn(bin, [String(ITERS), String(SIZE), String(gapNs)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    p.on('exit', (code) => {
      const [wall, cpu] = out.trim().split(' ').map(Number);
      if (code === 0 && wall && cpu) resolve({ wall, cpu });
      else reject(new Error(`writer exited ${code}: ${out}`));
    });
  });
}

/** Average run time of the send program per invocation (kernel.bpf_stats_enabled). */
function sendProgramNs(): number {
  const progs = JSON.parse(execFileSync('bpftool', ['prog', 'show', '-j']).toString()) as {
    name?: string;
    run_cnt?: number;
    run_time_ns?: number;
  }[];
  // ours is the send program that ran most (tests elsewhere may have loaded others)
  const p = progs
    .filter((x) => x.name === 'send_btf' || x.name === 'send_raw')
    .sort((a, b) => (b.run_cnt ?? 0) - (a.run_cnt ?? 0))[0];
  return p?.run_cnt ? (p.run_time_ns ?? 0) / p.run_cnt : Number.NaN;
}

async function withCapture(
  opts: Parameters<typeof Capture.start>[0],
  fn: () => Promise<Sample>,
  progStats = false,
) {
  const cap = Capture.start(opts);
  try {
    if (progStats) execFileSync('sysctl', ['-q', '-w', 'kernel.bpf_stats_enabled=1']);
    const s = await fn();
    const progNs = progStats ? sendProgramNs() : Number.NaN;
    if (progStats) execFileSync('sysctl', ['-q', '-w', 'kernel.bpf_stats_enabled=0']);
    return { s, stats: cap.stats(), progNs };
  } finally {
    cap.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const bare: Sample[] = [];
const base: Sample[] = [];
const filtered: Sample[] = [];
const captured: Sample[] = [];
let events = 0;
let drops = 0;
for (let r = 0; r < ROUNDS; r++) {
  bare.push(await measure(0));
  base.push(await measure());
  // pid 1 only: every other process is filtered out at the first check
  filtered.push((await withCapture({ pids: [1] }, measure)).s);
  let n = 0;
  const c = await withCapture({ payloadSize: SIZE, onData: () => n++, ...extra }, measure);
  captured.push(c.s);
  events += c.stats.events;
  drops += c.stats.drops;
}
base.push(await measure());
/**
 * Added ns are paced-with-probe minus paced-without, paired within a round: this VM's
 * speed drifts over seconds, so each probed pass is compared with the paced baseline
 * interpolated between the base passes before and after it (a round runs bare, base,
 * filtered, captured; the next base comes two passes after the captured one), and the
 * median of those differences is printed. The ratio is to a bare write (no spin).
 */
const added = (xs: Sample[], f: number, what: 'wall' | 'cpu') =>
  median(xs.map((x, i) => x[what] - ((1 - f) * (base[i]?.[what] ?? 0) + f * (base[i + 1]?.[what] ?? 0))));
const report = (what: 'wall' | 'cpu') => {
  const w = median(bare.map((x) => x[what]));
  const row = (name: string, added: number, target?: number) => {
    const t = target ? `   (target <= +${target} ns)` : '';
    return `  ${name.padEnd(34)} ${(w + added).toFixed(0).padStart(6)} ns  +${added.toFixed(0).padStart(5)} ns  x${((w + added) / w).toFixed(3)}${t}`;
  };
  console.log(row('nothing attached', 0));
  console.log(row('attached, process filtered out', added(filtered, 1 / 4, what), 100));
  console.log(row('attached, captured (1 KiB copied)', added(captured, 2 / 4, what), 400));
};
console.log(`write() of ${SIZE} B on loopback TCP, ${ITERS} calls x ${ROUNDS} rounds (median).`);
console.log(
  `Each write is followed by a ${GAP_NS} ns spin (the same in every mode, subtracted) so the ring's reader keeps up as with real traffic.`,
);
console.log("writer thread CPU per write (the probe runs in the writer's context):");
report('cpu');
console.log('wall time per write (includes competing with the consumer and reader on 2 cores):');
report('wall');
console.log(
  `captured events ${events}, ring drops ${drops} (${((100 * drops) / (events + drops)).toFixed(2)}%)`,
);
// one more pass with the kernel's per-program accounting (it adds its own clock reads)
const fNs = (await withCapture({ pids: [1] }, measure, true)).progNs;
const cNs = (await withCapture({ payloadSize: SIZE, onData: () => {} }, measure, true)).progNs;
console.log(
  `send program run time per write (bpf_stats): filtered out ${fNs.toFixed(0)} ns, captured ${cNs.toFixed(0)} ns`,
);
// flat out: the writer outruns the reader; the ring fills and the kernel drops instead of waiting
let flatEvents = 0;
const flat = await withCapture({ payloadSize: SIZE, onData: () => flatEvents++ }, () => measure(0));
const w = median(bare.map((x) => x.cpu));
console.log(
  `flat out (no spin): ${w.toFixed(0)} -> ${flat.s.cpu.toFixed(0)} ns CPU per write (+${(flat.s.cpu - w).toFixed(0)}), ` +
    `${flatEvents} events delivered, ${flat.stats.drops} dropped when the ring was full`,
);
