import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Capture, type DataEvent } from '@zeroscope/bpf/capture';

export const isRoot = process.getuid?.() === 0;
export const SKIP_REASON = 'needs root (CAP_BPF/CAP_SYS_ADMIN) to load BPF programs';

export interface Child {
  pid: number;
  port: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `node -e script`; the script prints its listening port on the first line. */
export async function startNode(script: string, args: string[] = []): Promise<Child> {
  const proc = spawn(process.execPath, ['-e', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(proc.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  const port = Number.parseInt(chunk.toString(), 10);
  if (!port || !proc.pid) throw new Error(`server did not start: ${chunk}`);
  return {
    pid: proc.pid,
    port,
    proc,
    stop: async () => {
      if (proc.exitCode !== null) return;
      proc.kill();
      await once(proc, 'exit');
    },
  };
}

export interface Run {
  pid: number;
  code: number;
  stdout: string;
}

export async function run(cmd: string, args: string[]): Promise<Run> {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  proc.stdout.on('data', (b: Buffer) => {
    stdout += b.toString();
  });
  const [code] = (await once(proc, 'exit')) as [number];
  return { pid: proc.pid ?? 0, code, stdout };
}

/** Polls `check` (after `tick`, e.g. a ring drain) until it returns a value. */
export async function waitFor<T>(check: () => T | undefined, tick: () => void, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    tick();
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting for capture');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Socket data of one process only (no TCP or TLS hooks), collected in `events`. */
export function captureProcess(pid: number) {
  const events: DataEvent[] = [];
  const cap = Capture.start({ pids: [pid], tcpEvents: false, tls: false, onData: (e) => events.push(e) });
  /** waits until at least `n` events arrived */
  const atLeast = (n: number) =>
    waitFor(
      () => (events.length >= n ? true : undefined),
      () => cap.drain(),
    );
  return { cap, events, atLeast };
}

export const HTTP_SERVER = `
const http = require('node:http');
const srv = http.createServer((req, res) => { res.setHeader('x-test', 'zeroscope'); res.end('hello from server'); });
srv.listen(0, '127.0.0.1', () => console.log(srv.address().port));
`;

/** Python prelude: a loopback TCP server that drains in a thread, and `c`, a client connected to it. */
export const PY_CONNECTED = `
import os, socket, threading
srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(1)
def drain():
    s, _ = srv.accept()
    while s.recv(65536): pass
threading.Thread(target=drain, daemon=True).start()
c = socket.create_connection(srv.getsockname())
`;
