/**
 * Profiling end to end: real processes (a C program built with gcc, node with and without
 * --perf-basic-prof) spinning in named functions, profiled by the agent's real profiler
 * (perf_event + sched_switch eBPF), shipped by the agent Sender over the agent link into
 * embedded chDB, and read back through the API.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDiscovery } from '@zeroscope/agent/discovery';
import { startProfiling } from '@zeroscope/agent/profiling';
import { Sender } from '@zeroscope/agent/sender';
import { encodeFrame } from '@zeroscope/wire/protocol';
import { createAuth } from '../src/auth/auth';
import type { ApiContext } from '../src/context';
import { readEnv } from '../src/env';
import { Router, sendJson } from '../src/http/router';
import { attachAgentLink } from '../src/ingest/link';
import { registerProfileRoutes } from '../src/profile/http';
import { registerQueryRoutes } from '../src/query/http';
import { openResourceStore } from '../src/resources/store';
import { openTelemetryStore } from '../src/storage/telemetry';
import { registerTrpc } from '../src/trpc/http';
import { ADMIN_TOKEN, AGENT_TOKEN, waitFor } from './link-helpers';

export { ADMIN_TOKEN };

export const C_SOURCE = `
#include <stdio.h>
__attribute__((noinline)) double burn_cpu_zeroscope(long n) {
  volatile double x = 0;
  for (long i = 0; i < n; i++) x += (double)i * 0.5;
  return x;
}
__attribute__((noinline)) void outer_zeroscope(void) { for (;;) burn_cpu_zeroscope(100000000L); }
int main(void) { printf("ready\\n"); fflush(stdout); outer_zeroscope(); return 0; }
`;
/** Blocks in nanosleep through a raw syscall inside the named function (off-CPU). */
export const C_SLEEPY = `
#include <time.h>
__attribute__((noinline)) void sleepy_zeroscope(void) {
  struct timespec ts = {0, 20000000};
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(35L), "D"(&ts), "S"(0L) : "rcx", "r11", "memory");
}
int main(void) { for (;;) sleepy_zeroscope(); return 0; }
`;
export const JS_SPIN = `function spinZeroscope(n){let x=0;for(let i=0;i<n;i++)x+=i*0.5;return x}
let t=0;for(;;)t+=spinZeroscope(5e7);`;

export interface ProfiledApi {
  ctx: ApiContext;
  base: string;
  pids: { c: number; js: number; sleepy: number };
  /** seconds: the range that holds the profiled interval */
  range: { start: number; end: number };
  rows: number;
  close(): Promise<void>;
}

/** Builds the spinners, profiles them for `ms`, ships the rows, returns the API. */
export async function startProfiledApi(ms = 4000): Promise<ProfiledApi> {
  const dir = mkdtempSync(join(tmpdir(), 'zs-prof-api-'));
  const children: ChildProcess[] = [];
  const env = readEnv({
    ZEROSCOPE_DATA_DIR: dir,
    ZEROSCOPE_ADMIN_TOKEN: ADMIN_TOKEN,
    ZEROSCOPE_AGENT_TOKEN: AGENT_TOKEN,
  });
  const resources = await openResourceStore(env);
  const telemetry = await openTelemetryStore(env);
  const auth = await createAuth(resources, env, { log: () => {} });
  const ctx: ApiContext = { env, telemetry, resources, auth };
  const router = new Router();
  registerTrpc(router, ctx);
  registerProfileRoutes(router, ctx);
  registerQueryRoutes(router, ctx);
  const server = http.createServer((req, res) => {
    void router.handle(req, res).then((handled) => {
      if (!handled) sendJson(res, 404, { error: 'not_found' });
    });
  });
  const link = attachAgentLink(server, ctx, { insertLingerMs: 50 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  const src = join(dir, 'burn.c');
  writeFileSync(src, C_SOURCE);
  // frame pointers: the kernel walks user stacks through them
  execFileSync('gcc', ['-O1', '-fno-omit-frame-pointer', '-o', join(dir, 'burn'), src]);
  writeFileSync(join(dir, 'sleepy.c'), C_SLEEPY);
  execFileSync('gcc', ['-O1', '-fno-omit-frame-pointer', '-o', join(dir, 'sleepy'), join(dir, 'sleepy.c')]);
  const start = (cmd: string, args: string[]) => {
    const p = spawn(cmd, args, { stdio: 'ignore' });
    children.push(p);
    return p.pid ?? 0;
  };
  let discovery: ReturnType<typeof startDiscovery> | undefined;
  // as the agent's run loop: a full resource report on every (re)connect
  const sender = new Sender({
    url: `ws://${addr}`,
    token: AGENT_TOKEN,
    hostname: 'profile-test',
    onConnected: () => discovery?.resync(),
  });
  let shipped = 0;
  const prof = startProfiling({
    intervalMs: 3_600_000,
    offCpuStacksPerSec: 0, // every off-CPU switch walked: attribution independent of host load
    onRows: (rows) => {
      shipped += rows.length;
      for (const r of rows) sender.enqueueAs('profile', r);
    },
  });
  const t0 = Math.floor(Date.now() / 1000);
  const pids = {
    c: start(join(dir, 'burn'), []),
    js: start(process.execPath, ['--perf-basic-prof', '-e', JS_SPIN]),
    sleepy: start(join(dir, 'sleepy'), []),
  };
  // past fork and exec (a forked node's samples before exec count for the same pid)
  await sleep(500);
  prof.flush();
  // the agent's discovery reports the processes, so ingest gives their rows tag ids
  discovery = startDiscovery({ intervalMs: 1000, onReport: (f) => sender.sendControl(encodeFrame(f)) });
  try {
    await sleep(ms);
  } finally {
    prof.stop(); // ships the last interval through onRows
    await discovery.stop();
    for (const c of children) c.kill('SIGKILL');
  }
  await sender.flush();
  await waitFor(() => sender.stats().ackedRows >= shipped, 30_000, 'profile rows acked');
  await sender.close();

  return {
    ctx,
    base: `http://${addr}`,
    pids,
    range: { start: t0 - 60, end: Math.floor(Date.now() / 1000) + 60 },
    rows: shipped,
    async close() {
      await link.close();
      server.close();
      await telemetry.close();
      await resources.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
