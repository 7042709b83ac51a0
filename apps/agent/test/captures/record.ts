/**
 * Re-records the loopback captures in this folder from real peers: curl against a Node HTTP
 * server, a Node http2 client against a Node http2 server (plain and gRPC-shaped), curl over
 * TLS 1.3 and 1.2, and dig against dnsmasq. Needs root, tcpdump, curl, dig, dnsmasq, openssl
 * (`apt-get install -y tcpdump curl bind9-dnsutils dnsmasq-base openssl`).
 *
 *   cd apps/agent && npx tsx test/captures/record.ts
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import * as http2 from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DIG_CALLS, DNS_ADDRESS, HTTP1_CALLS, HTTP2_CALLS, PORTS, TLS_CALLS, TLS_HOST } from './scenarios';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function capture(file: string, port: number, body: () => Promise<void>): Promise<void> {
  const dump = spawn(
    'tcpdump',
    ['-i', 'lo', '--immediate-mode', '-U', '-s', '0', '-w', join(here, file), `port ${port}`],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    dump.stderr!.on('data', (d: Buffer) => d.toString().includes('listening on') && resolve());
    dump.on('exit', (code) => reject(new Error(`tcpdump exited with ${code}`)));
  });
  try {
    await body();
    await sleep(300);
  } finally {
    await stop(dump);
  }
  process.stdout.write(`recorded ${file}\n`);
}

function stop(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    p.removeAllListeners('exit');
    p.on('exit', () => resolve());
    p.kill('SIGINT');
  });
}

async function http1(): Promise<void> {
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const xrid = req.headers['x-request-id'];
    if (xrid) res.setHeader('X-Request-ID', xrid);
    req.resume();
    if (url.startsWith('/hang')) return; // never answered
    if (url === '/missing') return void res.writeHead(404).end('not found');
    if (url === '/boom') return void res.writeHead(500).end('boom');
    if (url === '/submit') return void req.on('end', () => res.writeHead(201).end('created'));
    if (url === '/chunked') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('part one\n');
      setTimeout(() => res.end('part two\n'), 20);
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/plain', 'content-length': 3 })
      .end(req.method === 'HEAD' ? undefined : 'ok\n');
  });
  await new Promise<void>((r) => server.listen(PORTS.http1, '127.0.0.1', r));
  await capture('http1.pcap', PORTS.http1, async () => {
    for (const call of HTTP1_CALLS)
      await run('curl', ['-s', '-o', '/dev/null', ...call.args]).catch(() => undefined);
  });
  server.closeAllConnections();
  server.close();
}

async function h2(): Promise<void> {
  const server = http2.createServer();
  server.on('stream', (stream: http2.ServerHttp2Stream, headers) => {
    const path = String(headers[':path']);
    const call = HTTP2_CALLS.find((c) => c.path === path);
    stream.resume();
    stream.on('end', () => {
      if (call?.grpc) {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => {
          const t: Record<string, string> = { 'grpc-status': String(call.grpc!.status) };
          if (call.grpc!.message) t['grpc-message'] = call.grpc!.message;
          stream.sendTrailers(t);
        });
        stream.end(Buffer.from([0, 0, 0, 0, 2, 8, 1]));
      } else {
        stream.respond({ ':status': call?.status ?? 404, 'content-type': 'text/plain' });
        stream.end('h2 body');
      }
    });
  });
  await new Promise<void>((r) => server.listen(PORTS.http2, '127.0.0.1', r));
  await capture('http2.pcap', PORTS.http2, async () => {
    const client = http2.connect(`http://127.0.0.1:${PORTS.http2}`);
    await Promise.all(
      HTTP2_CALLS.map(
        (c) =>
          new Promise<void>((resolve) => {
            const headers: http2.OutgoingHttpHeaders = {
              ':method': c.method,
              ':path': c.path,
              'x-request-id': `h2-${c.path}`,
            };
            if (c.grpc) Object.assign(headers, { 'content-type': 'application/grpc', te: 'trailers' });
            const req = client.request(headers, { endStream: c.method === 'GET' });
            if (c.method !== 'GET') req.end(c.grpc ? Buffer.from([0, 0, 0, 0, 2, 10, 0]) : 'payload');
            req.on('data', () => undefined);
            req.on('close', () => resolve());
          }),
      ),
    );
    client.close();
  });
  server.close();
}

async function tls(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'zs-tls-'));
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${TLS_HOST}`,
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
  ]);
  const server = createHttpsServer(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    (_req, res) => res.end('secure'),
  );
  await new Promise<void>((r) => server.listen(PORTS.tls, '127.0.0.1', r));
  await capture('tls.pcap', PORTS.tls, async () => {
    for (const c of TLS_CALLS) {
      await run('curl', [
        '-sk',
        '-o',
        '/dev/null',
        ...c.args,
        '--resolve',
        `${TLS_HOST}:${PORTS.tls}:127.0.0.1`,
        `https://${TLS_HOST}:${PORTS.tls}/secure`,
      ]);
    }
  });
  server.close();
}

async function dns(): Promise<void> {
  const dnsmasq = spawn(
    'dnsmasq',
    [
      '-k',
      `--port=${PORTS.dns}`,
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      '--no-resolv',
      '--no-hosts',
      `--address=/svc.zeroscope.test/${DNS_ADDRESS}`,
      '--local=/zeroscope.test/',
      '--pid-file=',
    ],
    { stdio: 'ignore' },
  );
  await sleep(500);
  try {
    await capture('dns.pcap', PORTS.dns, async () => {
      for (const c of DIG_CALLS)
        await run('dig', ['@127.0.0.1', '-p', String(PORTS.dns), '+tries=1', '+time=2', ...c.args]);
    });
  } finally {
    await stop(dnsmasq);
  }
}

if (!process.argv[2] || process.argv[2] === 'http1') await http1();
if (!process.argv[2] || process.argv[2] === 'http2') await h2();
if (!process.argv[2] || process.argv[2] === 'tls') await tls();
if (!process.argv[2] || process.argv[2] === 'dns') await dns();
