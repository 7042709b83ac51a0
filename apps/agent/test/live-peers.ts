/** A local HTTP server and curl as real peers for the live-capture tests, and a poll. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { ensureBuilt } from '@zeroscope/bpf';
import { afterAll, beforeAll } from 'vitest';

const SERVER = `
const http = require('node:http');
const srv = http.createServer((req, res) => res.end('pong'));
srv.listen(0, '127.0.0.1', () => console.log(srv.address().port));
`;

/** A Node HTTP server answering 'pong' on 127.0.0.1. */
export async function startPongServer(): Promise<{ port: number; stop(): void }> {
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [b] = (await once(server.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  return { port: Number.parseInt(b.toString(), 10), stop: () => server.kill() };
}

/** A pong server for the enclosing describe block: the BPF objects built and the server started before its tests, stopped after. */
export function usePongServer(): { readonly port: number } {
  let server: Awaited<ReturnType<typeof startPongServer>> | undefined;
  beforeAll(async () => {
    ensureBuilt();
    server = await startPongServer();
  });
  afterAll(() => server?.stop());
  return {
    get port() {
      return server?.port ?? 0;
    },
  };
}

/** curl `url`; its output ends with a line giving the local port it used. */
export async function curl(url: string): Promise<{ pid: number; out: string }> {
  const p = spawn('curl', ['-s', '-w', '\\n%{local_port}', url], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  p.stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  await once(p, 'exit');
  return { pid: p.pid ?? 0, out };
}

/** Polls `fn` every 20 ms until it returns a value; throws after `ms`. */
export async function until<T>(fn: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
