import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataEvent } from '@zeroscope/bpf/capture';
import { Capture } from '@zeroscope/bpf/capture';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Child, isRoot, run, SKIP_REASON, startNode, waitFor } from './helpers';

const HTTPS_SERVER = `
const https = require('node:https');
const fs = require('node:fs');
const [key, cert] = process.argv.slice(1);
const srv = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => res.end('secret reply'));
srv.listen(0, '127.0.0.1', () => console.log(srv.address().port));
`;

describe.skipIf(!isRoot)(`TLS plaintext through uprobes${isRoot ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let dir: string;
  let server: Child;
  let cap: Capture;
  const events: DataEvent[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zs-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    server = await startNode(HTTPS_SERVER, [join(dir, 'key.pem'), join(dir, 'cert.pem')]);
    cap = Capture.start({ ports: [server.port], onData: (e) => events.push(e) });
  });

  afterAll(async () => {
    cap?.stop();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sees curl (system libssl) and the Node server in plaintext, on the right connection', async () => {
    expect(cap.tlsTargets().some((t) => t.ok && /libssl\.so\.3$/.test(t.path))).toBe(true);
    const curl = await run('curl', [
      '-sk',
      '--http1.1',
      '-w',
      '\\n%{local_port}',
      `https://127.0.0.1:${server.port}/secret`,
    ]);
    expect(curl.code).toBe(0);
    expect(curl.stdout).toContain('secret reply');
    const localPort = Number(curl.stdout.trim().split('\n').pop());
    const find = (pred: (e: DataEvent) => boolean) =>
      waitFor(
        () => events.find(pred),
        () => cap.drain(),
      );

    const sent = await find((e) => e.kind === 'tls' && e.pid === curl.pid && e.direction === 'egress');
    expect(Buffer.from(sent.payload).toString()).toMatch(/^GET \/secret HTTP\/1\.1\r\n/);
    expect(sent.tuple.localPort).toBe(localPort);
    expect(sent.tuple.remotePort).toBe(server.port);
    expect(sent.side).toBe('client');
    expect(sent.tcpSeq).toBe(0);

    const got = await find((e) => e.kind === 'tls' && e.pid === curl.pid && e.direction === 'ingress');
    expect(Buffer.from(got.payload).toString()).toContain('secret reply');

    const srvIn = await find((e) => e.kind === 'tls' && e.pid === server.pid && e.direction === 'ingress');
    expect(Buffer.from(srvIn.payload).toString()).toMatch(/^GET \/secret HTTP\/1\.1\r\n/);
    expect(srvIn.tuple.localPort).toBe(server.port);
    expect(srvIn.tuple.remotePort).toBe(localPort);
    expect(srvIn.side).toBe('server');
    const srvOut = await find((e) => e.kind === 'tls' && e.pid === server.pid && e.direction === 'egress');
    expect(Buffer.from(srvOut.payload).toString()).toContain('secret reply');
    expect(srvOut.traceId).toBe(srvIn.traceId);

    // handshake ciphertext is delivered (TLS metadata); once plaintext flows, ciphertext is not
    const handshake = events.filter((e) => e.kind === 'data' && e.pid === curl.pid && e.tsNs < sent.tsNs);
    expect(handshake.length).toBeGreaterThan(0);
    expect(handshake.every((e) => e.proto === 'tls')).toBe(true);
    expect(events.filter((e) => e.kind === 'data' && e.pid === curl.pid && e.tsNs > sent.tsNs)).toHaveLength(
      0,
    );
    // the Node server (memory BIO): its response goes out as plaintext only
    expect(
      events.filter((e) => e.kind === 'data' && e.pid === server.pid && e.tsNs > srvOut.tsNs),
    ).toHaveLength(0);
  });

  it('attaches to a TLS-exporting binary when a process starts from it (exec events)', async () => {
    const copy = join(dir, 'node-copy');
    copyFileSync(process.execPath, copy);
    const { spawn } = await import('node:child_process');
    const { once } = await import('node:events');
    const seen: DataEvent[] = [];
    // the comm of a process started from the copy is its file name
    const own = Capture.start({ comms: ['node-copy'], onData: (e) => seen.push(e) });
    const proc = spawn(copy, ['-e', HTTPS_SERVER, join(dir, 'key.pem'), join(dir, 'cert.pem')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(proc.stdout, 'data')) as [Buffer];
      const port = Number.parseInt(line.toString(), 10);
      await waitFor(
        () => own.tlsTargets().find((t) => t.ok && t.path === copy),
        () => own.drain(),
      );
      const curl = await run('curl', ['-sk', '--http1.1', `https://127.0.0.1:${port}/copied`]);
      expect(curl.stdout).toContain('secret reply');
      const srvIn = await waitFor(
        () => seen.find((e) => e.kind === 'tls' && e.pid === proc.pid && e.direction === 'ingress'),
        () => own.drain(),
      );
      expect(Buffer.from(srvIn.payload).toString()).toMatch(/^GET \/copied HTTP\/1\.1\r\n/);
      expect(srvIn.tuple.localPort).toBe(port);
      expect(seen.every((e) => e.comm === 'node-copy')).toBe(true);
    } finally {
      own.stop();
      proc.kill();
    }
  });

  it('applies the port filter to TLS plaintext too', () => {
    // the capture above is filtered to the first server's port: nothing from other ports
    expect(
      events.filter(
        (e) =>
          e.kind === 'tls' &&
          e.hasTuple &&
          e.tuple.localPort !== server.port &&
          e.tuple.remotePort !== server.port,
      ),
    ).toHaveLength(0);
  });
});
