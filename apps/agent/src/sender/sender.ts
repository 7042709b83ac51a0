/**
 * Ships records to the API over /v1/agent: batches by size or time, encodes them with the
 * wire codec, keeps every batch until its ack (which the API sends only after a durable
 * write), resends unacked batches after a reconnect, and bounds memory by dropping the
 * oldest unsent batches (counted) when the API is away for too long.
 */
import os from 'node:os';
import { encodeBatch } from '@zeroscope/wire/codec';
import type { MetricRecord } from '@zeroscope/wire/metrics';
import {
  AGENT_PATH,
  type AgentConfig,
  BATCH_KINDS,
  type BatchKind,
  batchColumns,
  decodeServerFrame,
  encodeBatchFrame,
  encodeFrame,
  PROTOCOL_VERSION,
} from '@zeroscope/wire/protocol';
import type { AgentRecord } from '@zeroscope/wire/records';
import WebSocket from 'ws';

export interface SenderOptions {
  /** ws://host:port of the API (the /v1/agent path is added when missing) */
  url: string;
  token: string;
  hostname?: string;
  /** stable identity of this node; defaults to the hostname */
  agentKey?: string;
  version?: string;
  onConfig?: (config: AgentConfig) => void;
  /** called after each welcome, before queued batches go out (e.g. to resend a full resource report) */
  onConnected?: () => void;
  /**
   * rows per batch (default 4096: the API spends ~2x the CPU per row on 1000-row batches,
   * measured in bench/ingest)
   */
  batchRows?: number;
  /** a partial batch is sealed after this long */
  batchMs?: number;
  /** rows held (open + unacked) before the oldest unsent batches are dropped */
  maxBufferedRows?: number;
  /** batches sent but not yet acked */
  maxInflight?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** log line sink for connection events; silent by default */
  log?: (line: string) => void;
}

export interface SenderStats {
  enqueued: number;
  sealedBatches: number;
  sentBatches: number;
  resentBatches: number;
  ackedBatches: number;
  ackedRows: number;
  droppedRows: number;
  invalidValues: number;
  bufferedRows: number;
  inflight: number;
  connects: number;
  connected: boolean;
  agentId: number | undefined;
  lastError: string | undefined;
}

interface Sealed {
  id: number;
  kind: BatchKind;
  rows: number;
  frame: Uint8Array;
  sent: boolean;
}

/** Anything the sender ships: request and flow logs, and aggregated metric rows. */
export type SendRecord = AgentRecord | MetricRecord;

const NO_PAYLOAD = new Uint8Array(0);

const zeroMask = (mask: Uint8Array) => {
  mask.fill(0);
};

export class Sender {
  readonly epoch = Date.now();
  private readonly opts: Required<Omit<SenderOptions, 'onConfig' | 'onConnected' | 'log'>> &
    Pick<SenderOptions, 'onConfig' | 'onConnected' | 'log'>;
  private readonly open = Object.fromEntries(BATCH_KINDS.map((k) => [k, []])) as unknown as Record<
    BatchKind,
    SendRecord[]
  >;
  /** sealed batches in id order: unsent ones and sent-but-unacked ones */
  private readonly batches = new Map<number, Sealed>();
  private nextId = 1;
  private openRows = 0;
  private sealedRows = 0;
  private inflight = 0;
  private ws: WebSocket | undefined;
  private ready = false;
  private closed = false;
  private backoff: number;
  private sealTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private waiters: { resolve: () => void }[] = [];
  private readonly s = {
    enqueued: 0,
    sealedBatches: 0,
    sentBatches: 0,
    resentBatches: 0,
    ackedBatches: 0,
    ackedRows: 0,
    droppedRows: 0,
    connects: 0,
    agentId: undefined as number | undefined,
    lastError: undefined as string | undefined,
  };
  private readonly encodeStats = { invalidValues: 0 };

  constructor(opts: SenderOptions) {
    const hostname = opts.hostname ?? os.hostname();
    this.opts = {
      hostname,
      agentKey: opts.agentKey ?? hostname,
      version: opts.version ?? '0.1.0',
      batchRows: 4096,
      batchMs: 200,
      maxBufferedRows: 200_000,
      maxInflight: 256,
      minBackoffMs: 100,
      maxBackoffMs: 10_000,
      ...opts,
    };
    this.backoff = this.opts.minBackoffMs;
    this.connect();
  }

  /** the settings in effect (defaults filled in) */
  get options(): {
    readonly batchRows: number;
    readonly maxBufferedRows: number;
    readonly maxInflight: number;
  } {
    return this.opts;
  }

  enqueue(record: SendRecord): void {
    this.enqueueAs(record.kind, record);
  }

  /**
   * enqueue for a record that does not carry `kind` (the encoder reads only the column
   * fields), so a hot path need not copy every record into `{ kind, ...record }`.
   */
  enqueueAs(kind: BatchKind, record: object): void {
    if (this.closed) return;
    this.s.enqueued++;
    const list = this.open[kind];
    list.push(record as SendRecord);
    this.openRows++;
    if (list.length >= this.opts.batchRows) this.seal(kind);
    else this.sealTimer ??= setTimeout(() => this.sealAll(), this.opts.batchMs);
    this.bound();
  }

  /**
   * Sends a JSON control frame now when connected and welcomed; returns false otherwise
   * (control frames are not queued: their owner resends state through onConnected).
   */
  sendControl(text: string): boolean {
    if (!this.ready || !this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(text);
    return true;
  }

  /** Seals what is buffered and resolves once every batch so far is acked. */
  flush(): Promise<void> {
    this.sealAll();
    if (this.batches.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ resolve }));
  }

  /** Flushes (waiting at most `timeoutMs`) and disconnects. */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.closed) return;
    await Promise.race([this.flush(), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    this.closed = true;
    clearTimeout(this.sealTimer);
    clearTimeout(this.retryTimer);
    this.ws?.close(1000, 'agent closing');
    for (const w of this.waiters.splice(0)) w.resolve();
  }

  stats(): SenderStats {
    return {
      ...this.s,
      invalidValues: this.encodeStats.invalidValues,
      bufferedRows: this.openRows + this.sealedRows,
      inflight: this.inflight,
      connected: this.ready,
    };
  }

  private sealAll(): void {
    clearTimeout(this.sealTimer);
    this.sealTimer = undefined;
    for (const kind of BATCH_KINDS) this.seal(kind);
  }

  private seal(kind: BatchKind): void {
    const rows = this.open[kind];
    if (rows.length === 0) return;
    this.open[kind] = [];
    this.openRows -= rows.length;
    const id = this.nextId++;
    // The frame header goes first in the encoder's buffer: one buffer per batch, no copy.
    const frame = encodeBatch(
      batchColumns(kind),
      rows as unknown as Record<string, unknown>[],
      this.encodeStats,
      encodeBatchFrame(kind, id, NO_PAYLOAD),
    );
    this.batches.set(id, { id, kind, rows: rows.length, frame, sent: false });
    this.sealedRows += rows.length;
    this.s.sealedBatches++;
    this.pump();
  }

  /** Drops the oldest batches not on the wire until the buffer fits again. */
  private bound(): void {
    if (this.openRows + this.sealedRows <= this.opts.maxBufferedRows) return;
    for (const b of this.batches.values()) {
      if (this.openRows + this.sealedRows <= this.opts.maxBufferedRows) break;
      if (b.sent) continue;
      this.batches.delete(b.id);
      this.sealedRows -= b.rows;
      this.s.droppedRows += b.rows;
    }
    // Still over with everything on the wire: drop from the open batches (oldest first).
    for (const kind of BATCH_KINDS) {
      const over = this.openRows + this.sealedRows - this.opts.maxBufferedRows;
      if (over <= 0) break;
      const n = Math.min(over, this.open[kind].length);
      this.open[kind].splice(0, n);
      this.openRows -= n;
      this.s.droppedRows += n;
    }
    this.settleWaiters();
  }

  private pump(): void {
    if (!this.ready || !this.ws) return;
    for (const b of this.batches.values()) {
      if (this.inflight >= this.opts.maxInflight) break;
      if (b.sent) continue;
      b.sent = true;
      this.inflight++;
      this.s.sentBatches++;
      this.ws.send(b.frame);
    }
  }

  private onAck(id: number): void {
    const b = this.batches.get(id);
    if (!b) return;
    this.batches.delete(id);
    this.sealedRows -= b.rows;
    if (b.sent) this.inflight--;
    this.s.ackedBatches++;
    this.s.ackedRows += b.rows;
    this.pump();
    this.settleWaiters();
  }

  private settleWaiters(): void {
    if (this.batches.size === 0 && this.openRows === 0) for (const w of this.waiters.splice(0)) w.resolve();
  }

  private connect(): void {
    if (this.closed) return;
    const base = this.opts.url.replace(/\/+$/, '');
    const url = base.endsWith(AGENT_PATH) ? base : base + AGENT_PATH;
    const ws = new WebSocket(url, {
      headers: { authorization: `Bearer ${this.opts.token}` },
      perMessageDeflate: false,
      // An all-zero mask: masking guards browsers against proxy cache poisoning, which a
      // native agent does not need; with it neither side XORs the batch bytes (ws skips it).
      generateMask: zeroMask,
    });
    this.ws = ws;
    ws.on('open', () => {
      this.s.connects++;
      ws.send(
        encodeFrame({
          type: 'hello',
          protocol: PROTOCOL_VERSION,
          agentKey: this.opts.agentKey,
          hostname: this.opts.hostname,
          version: this.opts.version,
          epoch: this.epoch,
        }),
      );
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const res = decodeServerFrame(data.toString('utf8'));
      if (!res.ok) {
        this.s.lastError = res.error.message;
        return;
      }
      const f = res.frame;
      if (f.type === 'welcome') {
        this.s.agentId = f.agentId;
        this.ready = true;
        this.backoff = this.opts.minBackoffMs;
        this.opts.log?.(`connected to ${url} as agent ${f.agentId}`);
        this.opts.onConnected?.();
        this.pump();
      } else if (f.type === 'ack') this.onAck(f.batchId);
      else if (f.type === 'config') this.opts.onConfig?.(f.config);
      else this.s.lastError = `${f.code}: ${f.message}`;
    });
    ws.on('unexpected-response', (_req, res) => {
      this.s.lastError = `API refused the connection: HTTP ${res.statusCode}`;
      ws.terminate();
    });
    ws.on('error', (err) => {
      this.s.lastError = err.message;
    });
    ws.on('close', (code, reason) => {
      if (this.ws !== ws) return;
      this.ready = false;
      this.ws = undefined;
      if (code !== 1000 && code !== 1005 && code !== 1006)
        this.s.lastError = `closed ${code}: ${reason.toString()}`;
      // Everything not acked goes back in line, in id order, to be resent after reconnect.
      for (const b of this.batches.values()) {
        if (b.sent) this.s.resentBatches++;
        b.sent = false;
      }
      this.inflight = 0;
      if (this.closed) return;
      const delay = this.backoff * (0.5 + Math.random() / 2);
      this.backoff = Math.min(this.backoff * 2, this.opts.maxBackoffMs);
      const why = reason.length > 0 ? `: ${reason.toString()}` : '';
      this.opts.log?.(`disconnected (${code}${why}); retrying in ${Math.round(delay)} ms`);
      this.retryTimer = setTimeout(() => this.connect(), delay);
    });
  }
}

export function createSender(opts: SenderOptions): Sender {
  return new Sender(opts);
}
