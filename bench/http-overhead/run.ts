/**
 * Throughput a Node HTTP server keeps while every request is captured, side by side in
 * one run: a trivial server and one doing ~1 ms of CPU work per request, each under wrk
 * at saturation, without and with the eBPF capture (ring drained in batches and decoded
 * by this process, as the agent does). This VM's throughput drifts by ±30% over seconds
 * with nothing else running, so rounds are short and alternate base, captured,
 * server-only captured, ..., base: each captured round is compared with the base
 * throughput interpolated between the base rounds around it, and the ratio printed is
 * the median of those. The CPU
 * the server spends per request (kernel probes run in its context) and the consumer's
 * CPU per request are printed too, with the throughput they imply. A third round per pair
 * captures only the server, as when the client runs on another host.
 * Both captures are loaded once per server and only attached for their rounds, as a
 * running agent's are: fresh rings cost more per record until written through once
 * (bench/syscall), a price an agent pays once, not every second.
 * Run as root: npx tsx bench/http-overhead/run.ts
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { ensureBuilt } from '@zeroscope/bpf';
import { Capture } from '@zeroscope/bpf/capture';

const DURATION = Number(process.env.DURATION ?? 1);
const ROUNDS = Number(process.env.ROUNDS ?? 12);
const CONNECTIONS = process.env.CONNECTIONS ?? '32';
const TICK_US = 1e6 / 100; // USER_HZ

const listen = `.listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;
const SERVERS: [string, string, number][] = [
  ['trivial', `require('node:http').createServer((q, s) => s.end('ok'))${listen}`, 90],
  [
    'cpu 1 ms',
    `require('node:http').createServer((q, s) => { const end = process.hrtime.bigint() + 1000000n; while (process.hrtime.bigint() < end); s.end('ok'); })${listen}`,
    97,
  ],
];

function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]); // utime + stime
}

interface Round {
  rps: number;
  serverUs: number;
  consumerUs: number;
  events: number;
  drops: number;
}

const counts = { events: 0 };

/** A capture loaded once and paused: `pids` captures only these (the server), leaving the load generator out. */
function loaded(pids?: number[]): Capture {
  const cap = Capture.start({ payloadSize: 1024, pids, onData: () => counts.events++ });
  cap.pause();
  return cap;
}

/** One wrk run with `cap` attached for its length (none: the base). */
async function round(port: number, pid: number, cap?: Capture): Promise<Round> {
  cap?.resume();
  counts.events = 0;
  const drops0 = cap?.stats().drops ?? 0;
  const t0 = cpuTicks(pid);
  const c0 = process.cpuUsage();
  const p = spawn('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${DURATION}s`, `http://127.0.0.1:${port}/`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  p.stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  await once(p, 'exit');
  cap?.drain();
  const c = process.cpuUsage(c0);
  const ticks = cpuTicks(pid) - t0;
  const drops = (cap?.stats().drops ?? 0) - drops0;
  cap?.pause();
  const events = counts.events;
  const m = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (!m) throw new Error(`wrk output not understood:\n${out}`);
  const rps = Number(m[1]);
  const reqs = rps * DURATION;
  return {
    rps,
    serverUs: (ticks * TICK_US) / reqs,
    consumerUs: cap ? (c.user + c.system) / reqs : 0,
    events: events / reqs,
    drops,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

ensureBuilt();
console.log(
  `wrk -t1 -c${CONNECTIONS} -d${DURATION}s, ${ROUNDS} rounds of base, captured, server-only captured per server`,
);
for (const [name, script, target] of SERVERS) {
  const server = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(server.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  const port = Number.parseInt(line.toString(), 10);
  const pid = server.pid ?? 0;
  const all = loaded();
  const serverOnly = loaded([pid]);
  // warm-up, not counted: the server's JIT, and each capture's rings written through
  await round(port, pid);
  await round(port, pid, all);
  await round(port, pid, serverOnly);
  const base: Round[] = [];
  const cap: Round[] = [];
  const own: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    base.push(await round(port, pid));
    cap.push(await round(port, pid, all));
    own.push(await round(port, pid, serverOnly));
  }
  base.push(await round(port, pid));
  all.stop();
  serverOnly.stop();
  server.kill();
  // base throughput at round i's time: 1/3 (captured) or 2/3 (server-only) of the way to the next base round
  const baseAt = (i: number, f: number) => (1 - f) * (base[i]?.rps ?? 1) + f * (base[i + 1]?.rps ?? 1);
  const kept = median(cap.map((c, i) => c.rps / baseAt(i, 1 / 3)));
  const sb = median(base.map((r) => r.serverUs));
  const sc = median(cap.map((r) => r.serverUs));
  const cu = median(cap.map((r) => r.consumerUs));
  console.log(
    `${name.padEnd(9)} req/s base ${median(base.map((r) => r.rps)).toFixed(0)} captured ${median(cap.map((r) => r.rps)).toFixed(0)}: kept ${(100 * kept).toFixed(1)}% (target >= ${target}%)`,
  );
  console.log(
    `          server CPU/req ${sb.toFixed(1)} -> ${sc.toFixed(1)} µs (kept ${((100 * sb) / sc).toFixed(1)}%), consumer ${cu.toFixed(1)} µs/req; server+consumer on one core: kept ${((100 * sb) / (sc + cu)).toFixed(1)}%; events/req ${median(cap.map((r) => r.events)).toFixed(2)}, drops ${cap.reduce((a, r) => a + r.drops, 0)}`,
  );
  // wrk shares the 2 cores and is captured too above; with the client on another host only the server would be
  const keptOwn = median(own.map((c, i) => c.rps / baseAt(i, 2 / 3)));
  console.log(
    `          only the server captured (wrk left out): req/s ${median(own.map((r) => r.rps)).toFixed(0)}, kept ${(100 * keptOwn).toFixed(1)}%, server CPU/req ${median(own.map((r) => r.serverUs)).toFixed(1)} µs`,
  );
}
