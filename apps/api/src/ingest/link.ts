/**
 * The agent WebSocket at /v1/agent (PRODUCT.md §3.3): token auth at upgrade, hello ->
 * registration, binary batches decoded and validated here, written through the ledger
 * (exactly once) and the table writers (group commit), acked only after the write.
 * A connection that sends garbage is closed with a precise code; others carry on.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { decodeBatch, withConstColumn } from '@zeroscope/wire/codec';
import {
  AGENT_PATH,
  type AgentConfig,
  BATCH_KINDS,
  type BatchFrame,
  type BatchKind,
  batchColumns,
  CloseCode,
  decodeAgentFrame,
  encodeFrame,
  type ServerFrame,
} from '@zeroscope/wire/protocol';
import { WebSocket, WebSocketServer } from 'ws';
import type { ApiContext } from '../context';
import { createResourceController, type ResourceController } from '../controller/controller';
import { INGEST_COLUMNS } from '../storage/schema';
import { Ledger, TABLES } from './ledger';
import { registerAgent } from './registry';
import { TableWriter } from './table-writer';

export interface AgentLinkOptions {
  /** largest WebSocket message accepted; bigger ones close the connection with 1009 */
  maxFrameBytes?: number;
  maxRowsPerBatch?: number;
  /** unacked batches per connection before we stop reading from it */
  maxInflight?: number;
  helloTimeoutMs?: number;
  insertMaxRows?: number;
  insertMinRows?: number;
  /** INSERTs in flight per table */
  insertConcurrency?: number;
  insertLingerMs?: number;
  /** records resources frames and enriches batches; created from ctx.resources when absent */
  controller?: ResourceController;
}

export interface AgentLinkStats {
  connections: number;
  agents: number;
  batches: number;
  rows: number;
  duplicates: number;
  malformed: number;
  oversized: number;
  unauthorized: number;
  writeErrors: number;
  paused: number;
  inflight: number;
  inserts: number;
}

export interface AgentLink {
  close(): Promise<void>;
  stats(): AgentLinkStats;
  /** Sends a config to one agent (by agent key or numeric id) or to all; returns how many got it. */
  pushConfig(target: string | number | 'all', config: AgentConfig): number;
  /** the resource controller (recording, tag ids), when the context has a resource store */
  readonly resources: ResourceController | undefined;
}

interface Conn {
  ws: WebSocket;
  agentKey?: string;
  agentId?: number;
  epoch?: number;
  inflight: number;
  paused: boolean;
  closing: boolean;
}

const AGENT_ID_COLUMN = { name: 'agent_id', type: 'u32' } as const;

const links = new Set<AgentLink>();

/** pushConfig over every attached link (normally one per process). */
export function pushConfig(target: string | number | 'all', config: AgentConfig): number {
  let n = 0;
  for (const l of links) n += l.pushConfig(target, config);
  return n;
}

function tokenOf(req: http.IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) return h.slice(7).trim();
  const q = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
  return q ?? undefined;
}

function reject(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: status === 401 ? 'unauthorized' : 'forbidden', message });
  socket.end(
    `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function attachAgentLink(
  server: http.Server,
  ctx: ApiContext,
  opts: AgentLinkOptions = {},
): AgentLink {
  const maxFrameBytes = opts.maxFrameBytes ?? 16 * 1024 * 1024;
  const maxRows = opts.maxRowsPerBatch ?? 100_000;
  const maxInflight = opts.maxInflight ?? 256;
  const helloTimeoutMs = opts.helloTimeoutMs ?? 10_000;
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes });
  const ledger = new Ledger(ctx.telemetry);
  const writerOpts = {
    maxRows: opts.insertMaxRows ?? 200_000,
    minRows: opts.insertMinRows ?? 100_000,
    lingerMs: opts.insertLingerMs ?? 500,
    concurrency: opts.insertConcurrency ?? 2,
  };
  // Metric rows come once a second per agent and kind: wait longer to share one part.
  const lingerOf = (k: BatchKind) =>
    k === 'request_log' || k === 'flow_log'
      ? writerOpts
      : { ...writerOpts, lingerMs: Math.max(writerOpts.lingerMs, 1000) };
  const writers = Object.fromEntries(
    BATCH_KINDS.map((k) => [k, new TableWriter(ctx.telemetry, TABLES[k], lingerOf(k))]),
  ) as Record<BatchKind, TableWriter>;
  const controller =
    opts.controller ??
    (ctx.resources?.db
      ? createResourceController({
          db: ctx.resources.db,
          telemetry: ctx.telemetry,
          log: (line) => process.stderr.write(`${line}\n`),
        })
      : undefined);
  const conns = new Set<Conn>();
  const byAgent = new Map<string, Conn>();
  const counters = {
    batches: 0,
    rows: 0,
    duplicates: 0,
    malformed: 0,
    oversized: 0,
    unauthorized: 0,
    writeErrors: 0,
    paused: 0,
  };
  let closed = false;

  const send = (c: Conn, frame: ServerFrame) => {
    if (c.ws.readyState === WebSocket.OPEN) c.ws.send(encodeFrame(frame));
  };
  const drop = (c: Conn, code: number, reason: string, counter?: 'malformed') => {
    if (c.closing) return;
    c.closing = true;
    if (counter) counters[counter]++;
    if (code !== CloseCode.normal && code !== CloseCode.goingAway)
      send(c, { type: 'error', code: String(code), message: reason });
    // Close reasons are limited to 123 bytes by RFC 6455.
    c.ws.close(code, Buffer.from(reason).subarray(0, 123).toString());
    // A peer that never answers the close handshake must not hold the slot.
    setTimeout(() => c.ws.terminate(), 2000).unref();
  };

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== AGENT_PATH) return;
    if (closed) return reject(socket, 403, 'server is shutting down');
    const token = tokenOf(req);
    const check = token ? ctx.auth.verifyToken(token) : Promise.resolve(undefined);
    check.then(
      (principal) => {
        if (!principal) {
          counters.unauthorized++;
          return reject(socket, 401, 'a valid agent token is required');
        }
        if (principal.scope !== 'agent') {
          counters.unauthorized++;
          return reject(socket, 403, `token scope '${principal.scope}' cannot connect agents`);
        }
        wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
      },
      () => reject(socket, 401, 'token check failed'),
    );
  };

  const onConnection = (ws: WebSocket) => {
    const c: Conn = { ws, inflight: 0, paused: false, closing: false };
    conns.add(c);
    const helloTimer = setTimeout(() => {
      if (c.agentId === undefined) drop(c, CloseCode.policy, 'no hello within the time limit');
    }, helloTimeoutMs);
    ws.on('error', (err: Error & { code?: string }) => {
      // ws has already failed the connection with the right close code (1009, 1007, 1002).
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') counters.oversized++;
      else counters.malformed++;
      c.closing = true;
    });
    ws.on('close', () => {
      clearTimeout(helloTimer);
      conns.delete(c);
      if (c.agentKey && byAgent.get(c.agentKey) === c) byAgent.delete(c.agentKey);
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (c.closing) return;
      const parsed = decodeAgentFrame(data, isBinary, { resources: true });
      if (!parsed.ok) return drop(c, CloseCode.badFrame, `bad frame: ${parsed.error.message}`, 'malformed');
      const frame = parsed.frame;
      if (frame.type === 'hello') {
        if (c.agentId !== undefined) return drop(c, CloseCode.badFrame, 'hello sent twice', 'malformed');
        c.agentId = 0; // registration pending: batches must wait for it
        void onHello(c, frame);
        return;
      }
      if (c.agentId === undefined) return drop(c, CloseCode.badFrame, 'batch before hello', 'malformed');
      if (frame.type === 'resources') {
        // Agents send resources only after the welcome, so the agent is registered here.
        if (c.agentKey && c.agentId) controller?.onResources(c.agentKey, c.agentId, frame);
        return;
      }
      onBatch(c, frame);
    });
  };

  const pending = new Map<Conn, BatchFrame[]>();
  const onHello = async (c: Conn, hello: Parameters<typeof registerAgent>[1]) => {
    try {
      const reg = await registerAgent(ctx, hello);
      const old = byAgent.get(hello.agentKey);
      if (old && old !== c) drop(old, CloseCode.replaced, 'replaced by a newer connection of the same agent');
      byAgent.set(hello.agentKey, c);
      c.agentKey = hello.agentKey;
      c.agentId = reg.agentId;
      c.epoch = hello.epoch;
      send(c, { type: 'welcome', agentId: reg.agentId, epoch: hello.epoch });
      send(c, { type: 'config', config: reg.config });
      for (const f of pending.get(c) ?? []) onBatch(c, f);
      pending.delete(c);
    } catch (err) {
      drop(c, CloseCode.internal, `registration failed: ${(err as Error).message}`);
    }
  };

  const onBatch = (c: Conn, frame: BatchFrame) => {
    if (c.agentId === 0) {
      const q = pending.get(c) ?? [];
      q.push(frame);
      pending.set(c, q);
      return;
    }
    const columns = batchColumns(frame.kind);
    const res = decodeBatch(columns, frame.payload, { maxRows });
    if (!res.ok)
      return drop(
        c,
        CloseCode.invalidPayload,
        `invalid batch ${frame.batchId}: ${res.error.message}`,
        'malformed',
      );
    const agentId = c.agentId!;
    const epoch = c.epoch!;
    let batch = controller ? controller.enrich(res.batch, agentId) : res.batch;
    batch = withConstColumn(batch, AGENT_ID_COLUMN, agentId);
    batch = withConstColumn(batch, INGEST_COLUMNS[0]!, epoch);
    batch = withConstColumn(batch, INGEST_COLUMNS[1]!, frame.batchId);
    c.inflight++;
    if (c.inflight >= maxInflight && !c.paused) {
      // Backpressure: stop reading this socket until ClickHouse catches up.
      c.paused = true;
      counters.paused++;
      c.ws.pause();
    }
    const writer = writers[frame.kind];
    ledger
      .once(agentId, epoch, frame.batchId, () => writer.submit(batch))
      .then(
        (wrote) => {
          counters.batches++;
          if (wrote) counters.rows += batch.rows;
          else counters.duplicates++;
          send(c, { type: 'ack', batchId: frame.batchId });
        },
        (err: Error) => {
          counters.writeErrors++;
          process.stderr.write(
            `agent link: ${frame.kind} batch ${frame.batchId} not stored: ${err.message}\n`,
          );
          drop(c, CloseCode.internal, `storage write failed: ${err.message}`);
        },
      )
      .finally(() => {
        c.inflight--;
        if (c.paused && c.inflight < maxInflight / 2) {
          c.paused = false;
          c.ws.resume();
        }
      });
  };

  server.on('upgrade', onUpgrade);

  const link: AgentLink = {
    resources: controller,
    async close() {
      if (closed) return;
      closed = true;
      links.delete(link);
      server.off('upgrade', onUpgrade);
      for (const c of conns) drop(c, CloseCode.goingAway, 'server shutting down');
      await Promise.all(Object.values(writers).map((w) => w.drain()));
      if (!opts.controller) await controller?.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
    stats() {
      let inflight = 0;
      for (const c of conns) inflight += c.inflight;
      return {
        ...counters,
        connections: conns.size,
        agents: byAgent.size,
        inflight,
        inserts: Object.values(writers).reduce((n, w) => n + w.inserts, 0),
      };
    },
    pushConfig(target, config) {
      let n = 0;
      for (const c of byAgent.values()) {
        if (target !== 'all' && c.agentKey !== target && c.agentId !== target) continue;
        send(c, { type: 'config', config });
        n++;
      }
      return n;
    },
  };
  links.add(link);
  return link;
}
