/**
 * Chunk -> parser -> session -> record assembly, shared by pcap replay, AF_PACKET and eBPF.
 * Each connection (per observing process for eBPF) gets a parser chosen by inference on its
 * bytes (cached per server endpoint) and a Pairing that turns messages into request logs.
 */
import type { L7Protocol, RequestLog } from '@zeroscope/wire';
import type { FiveTuple, StreamChunk } from '../capture/types';

export type { FiveTuple, ProcessMeta, StreamChunk } from '../capture/types';

import { inferParser, ProtocolCache } from '../parsers/infer';
import { type AnyParser, parsersFor } from '../parsers/registry';
import type { ParseContext } from '../parsers/types';
import { type ConnInfo, setEndProcess, toRecord } from '../sessions/exchange';
import { Pairing } from '../sessions/pairing';
import { flowId } from './flow-id';

export interface PipelineOptions {
  onRecord(r: RequestLog): void;
  /** requests unanswered for this long become `timeout` (µs, default 10 s) */
  timeoutUs?: number;
  /** TCP connection state (HPACK tables, buffers) is kept this long without traffic (µs, default 300 s) */
  idleUs?: number;
  protocols?: readonly L7Protocol[];
  /** observation point of packet-sourced records (default 'c') */
  observationPoint?: 'c' | 's';
  agentId?: number;
  /** shared with a packet source's orientation so both learn the same servers */
  cache?: ProtocolCache;
  maxConnections?: number;
}

export interface PipelineStats {
  chunks: number;
  bytes: number;
  messages: number;
  records: number;
  timeouts: number;
  /** chunks of connections whose protocol could not be inferred */
  unparsed: number;
  connections: number;
  evicted: number;
}

export interface Pipeline {
  push(chunk: StreamChunk): void;
  /** expire unanswered requests and idle connections as of `nowUs` */
  tick(nowUs: number): void;
  /** the connection ended: its open requests are emitted as timeouts */
  close(tuple: FiveTuple): void;
  /** emit everything still open (end of a replay, agent shutdown) */
  flush(): void;
  readonly stats: PipelineStats;
  readonly parsers: readonly AnyParser[];
  readonly cache: ProtocolCache;
}

/** Chunks a connection may show before we give up inferring its protocol. */
const MAX_INFER_ATTEMPTS = 8;
/** A lagging message cursor is resynchronised past this distance (parsers buffer less). */
const SEQ_SLACK = 64 * 1024;

interface Conn {
  key: string;
  /** the tuple's key: the same for both ends of a connection */
  tkey: string;
  /** set when the connection left the table (a cached reference must not revive it) */
  dropped: boolean;
  /** eBPF observer identity (the same socket seen by client and server processes differs) */
  pid: number;
  comm: string;
  fd: number;
  side: string;
  info: ConnInfo;
  parser: AnyParser | undefined;
  state: unknown;
  pairing: Pairing;
  attempts: number;
  reqSeq: number | undefined;
  respSeq: number | undefined;
  lastTs: number;
}

const tupleKey = (t: FiveTuple) => `${t.protocol}|${t.srcIp}|${t.srcPort}|${t.dstIp}|${t.dstPort}`;

export function createPipeline(opts: PipelineOptions): Pipeline {
  const timeoutUs = opts.timeoutUs ?? 10_000_000;
  const idleUs = Math.max(opts.idleUs ?? 300_000_000, timeoutUs);
  const maxConns = opts.maxConnections ?? 65_536;
  const parsers = parsersFor(opts.protocols);
  const byProtocol = new Map(parsers.map((p) => [p.protocol, p]));
  const cache = opts.cache ?? new ProtocolCache();
  const conns = new Map<string, Conn>();
  const stats: PipelineStats = {
    chunks: 0,
    bytes: 0,
    messages: 0,
    records: 0,
    timeouts: 0,
    unparsed: 0,
    connections: 0,
    evicted: 0,
  };

  const newConn = (chunk: StreamChunk, key: string): Conn => {
    const proc = chunk.process;
    const info: ConnInfo = {
      tuple: chunk.tuple,
      flowId: flowId(chunk.tuple),
      protocol: 'unknown',
      signalSource: chunk.source,
      observationPoint: proc ? (proc.side === 'client' ? 'c-p' : 's-p') : (opts.observationPoint ?? 'c'),
      agentId: opts.agentId ?? 0,
    };
    const conn: Conn = {
      key,
      tkey: tupleKey(chunk.tuple),
      dropped: false,
      pid: proc?.pid ?? 0,
      comm: proc?.comm ?? '',
      fd: proc?.fd ?? 0,
      side: proc?.side ?? '',
      info,
      parser: undefined,
      state: undefined,
      attempts: 0,
      reqSeq: undefined,
      respSeq: undefined,
      lastTs: chunk.ts,
      pairing: new Pairing((ex, timedOut) => {
        const r = toRecord(ex, info, timedOut);
        if (proc) namePeer(r, conn);
        stats.records++;
        if (r.response_status === 'timeout') stats.timeouts++;
        opts.onRecord(r);
      }),
    };
    stats.connections++;
    if (proc) (proc.side === 'client' ? clients : servers).set(conn.tkey, conn);
    return conn;
  };

  // eBPF conns by tuple and end: on one host both ends of a connection are often
  // captured, so a record can name the process at the other end too (process_id_0 of a
  // server-side record is the local client), not only the host
  const clients = new Map<string, Conn>();
  const servers = new Map<string, Conn>();
  const namePeer = (r: RequestLog, conn: Conn) => {
    const peer = conn.side === 'client' ? servers.get(conn.tkey) : clients.get(conn.tkey);
    if (peer && !peer.dropped && peer.pid)
      setEndProcess(r, conn.side === 'client' ? 'server' : 'client', peer.pid, peer.comm);
  };

  const chooseParser = (conn: Conn, chunk: StreamChunk, ctx: ParseContext): boolean => {
    const t = chunk.tuple;
    const cached = cache.get(t.dstIp, t.dstPort);
    let parser = cached ? byProtocol.get(cached) : undefined;
    if (!parser) {
      if (conn.attempts++ >= MAX_INFER_ATTEMPTS) return false;
      parser = inferParser(parsers, chunk.payload, chunk.direction, ctx);
      if (!parser) return false;
      cache.set(t.dstIp, t.dstPort, parser.protocol);
    }
    conn.parser = parser;
    conn.state = parser.newState();
    conn.info.protocol = parser.protocol;
    return true;
  };

  const flushParser = (conn: Conn) => {
    const { parser, state } = conn;
    if (!parser?.flush) return;
    for (const dir of ['request', 'response'] as const) {
      for (const msg of parser.flush(state, dir)) {
        const seq = dir === 'request' ? conn.reqSeq : conn.respSeq;
        conn.pairing.add({ msg, seq: (seq ?? 0) >>> 0 });
      }
    }
  };

  const dropConn = (key: string, conn: Conn) => {
    conns.delete(key);
    conn.dropped = true;
    const ends = conn.side === 'client' ? clients : conn.side === 'server' ? servers : undefined;
    if (ends?.get(conn.tkey) === conn) ends.delete(conn.tkey);
    flushParser(conn);
    conn.pairing.flush();
  };

  const byTuple = new WeakMap<FiveTuple, Conn>();

  const lookup = (chunk: StreamChunk): Conn => {
    const proc = chunk.process;
    const key = proc ? `${tupleKey(chunk.tuple)}|${proc.side}|${proc.pid}|${proc.fd}` : tupleKey(chunk.tuple);
    let conn = conns.get(key);
    if (!conn) {
      if (conns.size >= maxConns) {
        const oldest = conns.entries().next().value;
        if (oldest) {
          stats.evicted++;
          dropConn(oldest[0], oldest[1]);
        }
      }
      conn = newConn(chunk, key);
      conns.set(key, conn);
    }
    byTuple.set(chunk.tuple, conn);
    return conn;
  };

  const push = (chunk: StreamChunk) => {
    stats.chunks++;
    stats.bytes += chunk.payload.length;
    const proc = chunk.process;
    // sources reuse one tuple object per connection: skip building the string key then
    let conn = byTuple.get(chunk.tuple);
    if (
      conn &&
      (conn.dropped || (proc && (conn.pid !== proc.pid || conn.fd !== proc.fd || conn.side !== proc.side)))
    ) {
      conn = undefined;
    }
    if (!conn) conn = lookup(chunk);
    conn.lastTs = chunk.ts;
    const ctx: ParseContext = {
      serverPort: chunk.tuple.dstPort,
      gap: chunk.gap,
      totalLength: chunk.totalLength,
      transport: chunk.tuple.protocol,
    };
    if (!conn.parser && !chooseParser(conn, chunk, ctx)) {
      stats.unparsed++;
      return;
    }
    const isReq = chunk.direction === 'request';
    let seq = isReq ? conn.reqSeq : conn.respSeq;
    if (seq === undefined || chunk.gap || Math.abs((chunk.tcpSeq - seq) | 0) > SEQ_SLACK) seq = chunk.tcpSeq;
    const msgs = conn.parser!.feed(conn.state, chunk.payload, chunk.direction, chunk.ts, ctx);
    for (const msg of msgs) {
      stats.messages++;
      if (msg.direction !== chunk.direction) {
        // a message of the other direction completed by this chunk (e.g. a head cut by loss)
        const other = isReq ? conn.respSeq : conn.reqSeq;
        conn.pairing.add({ msg, seq: (other ?? 0) >>> 0, process: proc });
        continue;
      }
      conn.pairing.add({ msg, seq: seq >>> 0, process: proc });
      if (chunk.tuple.protocol === 'tcp') seq = (seq + msg.length) >>> 0;
    }
    if (chunk.tuple.protocol !== 'tcp') return;
    // the next message starts where the last complete one ended, or where buffering began
    if (msgs.length > 0 || (isReq ? conn.reqSeq === undefined : conn.respSeq === undefined)) {
      if (isReq) conn.reqSeq = msgs.length > 0 ? seq : chunk.tcpSeq;
      else conn.respSeq = msgs.length > 0 ? seq : chunk.tcpSeq;
    }
  };

  return {
    push,
    stats,
    parsers,
    cache,
    tick(nowUs) {
      const deadline = nowUs - timeoutUs;
      for (const [key, conn] of conns) {
        // UDP "connections" are one exchange each: forget them as soon as they are quiet
        const idle = conn.info.tuple.protocol === 'udp' ? timeoutUs : idleUs;
        if (conn.lastTs < nowUs - idle) dropConn(key, conn);
        else conn.pairing.expire(deadline);
      }
    },
    close(tuple) {
      // packet connections only: eBPF ones expire through tick()
      const key = tupleKey(tuple);
      const conn = conns.get(key);
      if (conn) dropConn(key, conn);
    },
    flush() {
      for (const [key, conn] of conns) dropConn(key, conn);
    },
  };
}
