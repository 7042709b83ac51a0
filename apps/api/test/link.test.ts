/**
 * The agent link in-process with real parts (HTTP server, WebSocket, auth on SQLite, chDB):
 * hostile frames close only their own connection with a precise code and are counted, a
 * well-behaved agent keeps being served, resends are deduplicated by a fresh link (as after
 * a restart), config reaches agents, and backpressure pauses a fast connection.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sender } from '@zeroscope/agent/sender';
import { encodeBatch } from '@zeroscope/wire/codec';
import { REQUEST_LOG_COLUMNS } from '@zeroscope/wire/columns';
import {
  type AgentConfig,
  defaultAgentConfig,
  encodeBatchFrame,
  PROTOCOL_VERSION,
} from '@zeroscope/wire/protocol';
import { sampleRequestLogs } from '@zeroscope/wire/sample';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAuth } from '../src/auth/auth';
import type { ApiContext } from '../src/context';
import { readEnv } from '../src/env';
import { attachAgentLink } from '../src/ingest/link';
import { openResourceStore } from '../src/resources/store';
import { openTelemetryStore } from '../src/storage/telemetry';
import { ADMIN_TOKEN, AGENT_TOKEN, waitFor } from './link-helpers';

const MAX_FRAME = 256 * 1024;

async function serve(ctx: ApiContext, opts: Parameters<typeof attachAgentLink>[2] = {}) {
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const link = attachAgentLink(server, ctx, { maxFrameBytes: MAX_FRAME, ...opts });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/v1/agent`;
  return { server, link, url };
}

interface Raw {
  ws: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
  messages: string[];
}

function raw(url: string, token = AGENT_TOKEN): Promise<Raw> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const ws = new WebSocket(url, { headers });
  const messages: string[] = [];
  ws.on('message', (d) => messages.push(d.toString()));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, closed, messages }));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

const hello = (agentKey: string, epoch = 1) =>
  JSON.stringify({
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    agentKey,
    hostname: agentKey,
    version: 't',
    epoch,
  });

async function helloed(url: string, agentKey: string, epoch = 1): Promise<Raw> {
  const r = await raw(url);
  r.ws.send(hello(agentKey, epoch));
  await waitFor(() => r.messages.some((m) => m.includes('"welcome"')), 10_000, 'welcome');
  return r;
}

describe('agent link', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zs-link-'));
  let ctx: ApiContext;
  let main: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    const env = {
      ...readEnv({}),
      dataDir: dir,
      adminToken: ADMIN_TOKEN,
      agentToken: AGENT_TOKEN,
    };
    const resources = await openResourceStore(env);
    const telemetry = await openTelemetryStore(env);
    const auth = await createAuth(resources, env, { log: () => {} });
    ctx = { env, resources, telemetry, auth };
    main = await serve(ctx);
  }, 120_000);

  afterAll(async () => {
    await main?.link.close();
    main?.server.close();
    await ctx?.telemetry.close();
    await ctx?.resources.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('closes hostile connections with precise codes, counts them, and keeps serving a good agent', async () => {
    const configs: AgentConfig[] = [];
    const good = new Sender({
      url: main.url,
      token: AGENT_TOKEN,
      hostname: 'good-node',
      batchRows: 200,
      batchMs: 20,
      onConfig: (c) => configs.push(c),
    });
    const records = sampleRequestLogs(20_000, 5);
    let produced = 0;
    let limit = records.length / 2; // the second half goes out after the hostile connections
    const feed = setInterval(() => {
      for (const r of records.slice(produced, Math.min(limit, produced + 500)))
        good.enqueue({ kind: 'request_log', ...r });
      produced = Math.min(limit, produced + 500);
    }, 10);
    await waitFor(() => good.stats().ackedRows > 0, 30_000, 'first ack');
    const before = main.link.stats();

    await expect(raw(main.url, '')).rejects.toThrow('HTTP 401');
    await expect(raw(main.url, ADMIN_TOKEN)).rejects.toThrow('HTTP 403');

    const valid = encodeBatchFrame(
      'request_log',
      1,
      encodeBatch(REQUEST_LOG_COLUMNS, sampleRequestLogs(50) as unknown as Record<string, unknown>[]),
    );
    const cases: { name: string; send: (ws: WebSocket) => void; code: number; needsHello: boolean }[] = [
      {
        name: 'garbage payload',
        send: (ws) => ws.send(Buffer.from([1, 1, 9, 0xde, 0xad, 0xbe, 0xef])),
        code: 1007,
        needsHello: true,
      },
      {
        name: 'truncated batch',
        send: (ws) => ws.send(valid.subarray(0, valid.length >> 1)),
        code: 1007,
        needsHello: true,
      },
      {
        name: 'not a batch',
        send: (ws) => ws.send(Buffer.from([0xff, 0, 0, 0])),
        code: 4400,
        needsHello: true,
      },
      { name: 'bad json', send: (ws) => ws.send('{"type": hello'), code: 4400, needsHello: false },
      { name: 'batch before hello', send: (ws) => ws.send(valid), code: 4400, needsHello: false },
      {
        name: 'oversized',
        send: (ws) => ws.send(Buffer.alloc(MAX_FRAME + 1024, 1)),
        code: 1009,
        needsHello: true,
      },
    ];
    for (const c of cases) {
      const r = c.needsHello ? await helloed(main.url, `bad-${c.name}`) : await raw(main.url);
      c.send(r.ws);
      const { code, reason } = await r.closed;
      expect(code, c.name).toBe(c.code);
      if (c.code !== 1009) expect(reason.length, c.name).toBeGreaterThan(0);
    }

    const after = main.link.stats();
    expect(after.malformed - before.malformed).toBe(5);
    expect(after.oversized - before.oversized).toBe(1);
    expect(after.unauthorized - before.unauthorized).toBe(2);

    // The good agent was never disturbed: one connection, everything acked.
    const ackedMid = good.stats().ackedRows;
    limit = records.length;
    await waitFor(() => produced === records.length, 30_000, 'all produced');
    clearInterval(feed);
    expect(main.link.pushConfig('good-node', { ...defaultAgentConfig(), version: 7, sampling: 0.5 })).toBe(1);
    await good.flush();
    expect(good.stats().ackedRows).toBe(records.length);
    expect(good.stats().ackedRows).toBeGreaterThan(ackedMid);
    expect(good.stats().connects).toBe(1);
    await waitFor(() => configs.some((c) => c.version === 7), 5000, 'pushed config');
    expect(configs.at(-1)).toMatchObject({ version: 7, sampling: 0.5 });
    await good.close();
  }, 120_000);

  it('acks a resent batch without storing it twice, even on a fresh link (as after a restart)', async () => {
    const count = async () =>
      Number((await ctx.telemetry.query<{ n: number }>('SELECT count() n FROM flow_log.l4_flow_log'))[0]!.n);
    const { encodeBatch: enc } = await import('@zeroscope/wire/codec');
    const { FLOW_LOG_COLUMNS } = await import('@zeroscope/wire/columns');
    const { sampleFlowLogs } = await import('@zeroscope/wire/sample');
    const frame = (id: number) =>
      encodeBatchFrame(
        'flow_log',
        id,
        enc(FLOW_LOG_COLUMNS, sampleFlowLogs(100, id) as unknown as Record<string, unknown>[]),
      );

    const start = await count();
    const a = await helloed(main.url, 'resender', 42);
    a.ws.send(frame(1));
    a.ws.send(frame(2));
    await waitFor(() => a.messages.filter((m) => m.includes('"ack"')).length === 2, 20_000, 'two acks');
    a.ws.close();
    expect(await count()).toBe(start + 200);

    const second = await serve(ctx, { maxInflight: 1 });
    try {
      const b = await helloed(second.url, 'resender', 42);
      for (const id of [1, 2, 3, 4, 5]) b.ws.send(frame(id));
      await waitFor(() => b.messages.filter((m) => m.includes('"ack"')).length === 5, 20_000, 'five acks');
      const s = second.link.stats();
      expect(s.duplicates).toBe(2);
      expect(s.rows).toBe(300);
      expect(s.paused).toBeGreaterThan(0);
      expect(await count()).toBe(start + 500);
      b.ws.close();
    } finally {
      await second.link.close();
      second.server.close();
    }
  }, 60_000);
});
