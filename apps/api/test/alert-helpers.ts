/**
 * Real peers for the alerting tests: a tiny SMTP server and a webhook receiver that record
 * what they get, a tRPC-over-HTTP caller, and a tapping TCP proxy that feeds both directions
 * of every connection into the agent's parser pipeline (the bytes a capture would see).
 */
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { createPipeline } from '@zeroscope/agent/pipeline';
import { Sender } from '@zeroscope/agent/sender';
import type { RequestLog } from '@zeroscope/wire';

export interface Mail {
  from: string;
  to: string[];
  data: string;
  subject: string;
  body: string;
  at: number;
  /** delivered after STARTTLS */
  secure: boolean;
}

/** A minimal SMTP server (EHLO/HELO, MAIL, RCPT, DATA, QUIT) on an ephemeral port. */
export async function startSmtpServer(
  opts: { user?: string; password?: string; rejectRcpt?: string; tls?: { key: string; cert: string } } = {},
): Promise<{ port: number; mails: Mail[]; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = net.createServer((plain) => {
    let sock: net.Socket = plain;
    let secure = false;
    sock.setEncoding('utf8');
    let buf = '';
    let inData = false;
    let data: string[] = [];
    let from = '';
    let to: string[] = [];
    const reply = (line: string) => sock.write(`${line}\r\n`);
    reply('220 test-smtp ready');
    const onData = (chunk: string) => {
      buf += chunk;
      let i = buf.indexOf('\r\n');
      while (i >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        i = buf.indexOf('\r\n');
        if (inData) {
          if (line === '.') {
            inData = false;
            const raw = data.join('\r\n');
            const [head = '', b64 = ''] = raw.split('\r\n\r\n');
            const subject = /^Subject: (.*)$/m.exec(head)?.[1] ?? '';
            mails.push({
              from,
              to,
              data: raw,
              subject,
              body: Buffer.from(b64.replace(/\s/g, ''), 'base64').toString('utf8'),
              at: Date.now(),
              secure,
            });
            reply('250 queued');
          } else data.push(line.startsWith('..') ? line.slice(1) : line);
          continue;
        }
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO' || cmd === 'HELO') {
          sock.write(
            `250-test-smtp\r\n${opts.tls && !secure ? '250-STARTTLS\r\n' : ''}250-AUTH PLAIN\r\n250 8BITMIME\r\n`,
          );
        } else if (cmd === 'STAR' && opts.tls && !secure) {
          reply('220 go ahead');
          plain.removeListener('data', onData);
          const upgraded = new tls.TLSSocket(plain, {
            isServer: true,
            key: opts.tls.key,
            cert: opts.tls.cert,
          });
          upgraded.setEncoding('utf8');
          upgraded.on('data', onData);
          upgraded.on('error', () => {});
          sock = upgraded;
          secure = true;
          buf = '';
        } else if (cmd === 'AUTH') {
          const plain = Buffer.from(line.split(' ')[2] ?? '', 'base64').toString('utf8');
          reply(plain === `\0${opts.user}\0${opts.password}` ? '235 authenticated' : '535 bad credentials');
        } else if (cmd === 'MAIL') {
          from = /<(.*)>/.exec(line)?.[1] ?? '';
          to = [];
          reply('250 ok');
        } else if (cmd === 'RCPT') {
          const rcpt = /<(.*)>/.exec(line)?.[1] ?? '';
          if (rcpt === opts.rejectRcpt) {
            reply('550 no such mailbox');
            continue;
          }
          to.push(rcpt);
          reply('250 ok');
        } else if (cmd === 'DATA') {
          inData = true;
          data = [];
          reply('354 go ahead');
        } else if (cmd === 'QUIT') {
          reply('221 bye');
          sock.end();
        } else reply('502 not implemented');
      }
    };
    sock.on('data', onData);
    sock.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    mails,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export interface Hook {
  body: Record<string, unknown>;
  at: number;
}

export async function startWebhookReceiver(): Promise<{
  url: string;
  hooks: Hook[];
  close(): Promise<void>;
}> {
  const hooks: Hook[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        hooks.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')), at: Date.now() });
        res.writeHead(200).end('ok');
      } catch {
        res.writeHead(400).end('bad json');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/hook`,
    hooks,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export class TrpcHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Calls one tRPC procedure over HTTP as a Bearer token or cookie holder (no batching). */
export async function trpc<T = unknown>(
  base: string,
  auth: { token?: string; cookie?: string } | null,
  path: string,
  type: 'query' | 'mutation',
  input?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth?.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth?.cookie) headers.cookie = auth.cookie;
  const url =
    type === 'query'
      ? `${base}/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`
      : `${base}/trpc/${path}`;
  const res = await fetch(url, {
    method: type === 'query' ? 'GET' : 'POST',
    headers,
    body: type === 'mutation' ? JSON.stringify(input ?? null) : undefined,
  });
  const body = (await res.json()) as {
    result?: { data: T };
    error?: { message: string; data?: { code: string } };
  };
  if (body.error) throw new TrpcHttpError(res.status, body.error.data?.code ?? 'UNKNOWN', body.error.message);
  return body.result!.data;
}

/**
 * A TCP proxy on 127.0.0.1 in front of `targetPort`: clients talk to it, it forwards to the
 * service, and every byte either way goes through the agent's parsers; request logs stream
 * to the API over the agent link like a node agent's capture.
 */
export async function startCaptureProxy(
  targetPort: number,
  api: { url: string; token: string },
): Promise<{ port: number; records: RequestLog[]; flush(): Promise<void>; close(): Promise<void> }> {
  const records: RequestLog[] = [];
  const sender = new Sender({
    url: api.url,
    token: api.token,
    hostname: 'alert-test',
    batchRows: 64,
    batchMs: 50,
  });
  const pipeline = createPipeline({
    onRecord: (r) => {
      const rec = { ...r, observation_point: 's-p' as const };
      records.push(rec);
      sender.enqueue({ kind: 'request_log', ...rec });
    },
    timeoutUs: 5_000_000,
  });
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    open.add(client);
    open.add(upstream);
    const tuple = {
      protocol: 'tcp' as const,
      srcIp: '127.0.0.1',
      srcPort: client.remotePort ?? 0,
      dstIp: '127.0.0.1',
      dstPort: (server.address() as net.AddressInfo).port,
    };
    const seq = { request: 1000, response: 5000 };
    const tap = (direction: 'request' | 'response') => (payload: Buffer) => {
      pipeline.push({
        ts: Date.now() * 1000,
        tuple,
        direction,
        payload: new Uint8Array(payload),
        tcpSeq: seq[direction],
        totalLength: payload.length,
        gap: false,
        source: 'packet',
      });
      seq[direction] += payload.length;
    };
    client.on('data', tap('request'));
    upstream.on('data', tap('response'));
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
      pipeline.close(tuple);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    records,
    flush: () => sender.flush(),
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      pipeline.flush();
      await sender.flush();
      await sender.close();
    },
  };
}
