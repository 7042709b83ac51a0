/**
 * The flow table: packets in, flow logs out (PRODUCT.md §2.3). A flow is logged when it ends
 * (FIN both ways or RST, after a short linger for the last ACK/duplicate RST; idle timeout;
 * eviction; flush) and, while it lives, once per report interval that saw packets, so a long
 * flow yields records over disjoint intervals whose counters add up to the flow's totals.
 * Time comes from packet timestamps (pcap replay is deterministic) and from `tick(nowUs)`.
 */
import type { FlowLog, L7Protocol, SignalSource } from '@zeroscope/wire';
import type { FiveTuple, Packet } from '../capture/types';
import { closeTypeOf, type EndReason, isConnectionFailure } from './close-type';
import { dstLooksLikeServer, ListenerSet } from './direction';
import { type DirectionSource, type Flow, newFlow, newInterval, senderOf } from './flow';
import { flowKeyOf } from './flow-id';
import { type ReportContext, toFlowLog } from './report';
import { ACK, FIN, RST, SYN, updateTcp, updateUdp } from './tcp-perf';

export interface FlowTableOptions {
  onFlowLog(f: FlowLog): void;
  agentId?: number;
  /** periodic flow log interval for live flows; default 60 s */
  reportIntervalUs?: number;
  /** a flow without packets for this long ends (`timeout` or its handshake failure); default 120 s */
  idleTimeoutUs?: number;
  /** how long a FIN/FIN or RST flow waits for trailing packets before it is logged; default 2 s */
  closeLingerUs?: number;
  signalSource?: SignalSource;
  /** table capacity; the least recently reported flow is evicted beyond it; default 100k */
  maxFlows?: number;
}

export interface FlowTableStats {
  active: number;
  packets: number;
  /** packets that are neither TCP nor UDP or carry no TCP header */
  ignored: number;
  flowsCreated: number;
  flowsEnded: number;
  flowLogs: number;
  periodicLogs: number;
  evicted: number;
  connectionFailures: number;
  outOfOrder: number;
  /** setL7Protocol calls for flows not in the table */
  l7Unmatched: number;
}

export interface FlowTable {
  push(p: Packet): void;
  tick(nowUs: number): void;
  /** ends every flow now (end of a capture file, shutdown) */
  flush(): void;
  /** `tuple` is oriented client -> server (as on a StreamChunk) */
  setL7Protocol(tuple: FiveTuple, proto: L7Protocol): void;
  stats(): FlowTableStats;
}

const SECOND = 1_000_000;
const RANK: Record<DirectionSource, number> = { first: 0, port: 1, listener: 2, l7: 3, handshake: 4 };

export function createFlowTable(opts: FlowTableOptions): FlowTable {
  const interval = opts.reportIntervalUs ?? 60 * SECOND;
  const idle = opts.idleTimeoutUs ?? 120 * SECOND;
  const linger = opts.closeLingerUs ?? Math.min(2 * SECOND, idle);
  const maxFlows = opts.maxFlows ?? 100_000;
  const tickStep = Math.max(1000, Math.min(SECOND, linger, interval));
  const ctx: ReportContext = { agentId: opts.agentId ?? 0, signalSource: opts.signalSource ?? 'packet' };
  const flows = new Map<string, Flow>();
  const listeners = new ListenerSet();
  let nextTick = 0;
  const st: FlowTableStats = {
    active: 0,
    packets: 0,
    ignored: 0,
    flowsCreated: 0,
    flowsEnded: 0,
    flowLogs: 0,
    periodicLogs: 0,
    evicted: 0,
    connectionFailures: 0,
    outOfOrder: 0,
    l7Unmatched: 0,
  };

  const nextBoundary = (ts: number) => Math.floor(ts / interval) * interval + interval;

  function emit(f: Flow, reason: EndReason | 'periodic'): void {
    const final = reason !== 'periodic';
    const ct = final ? closeTypeOf(f, reason) : 'unknown';
    if (final && isConnectionFailure(f, ct)) st.connectionFailures++;
    st.outOfOrder += f.iv.ooo[0] + f.iv.ooo[1];
    const log = toFlowLog(f, ct, ctx, final);
    f.iv = newInterval();
    st.flowLogs++;
    if (!final) st.periodicLogs++;
    opts.onFlowLog(log);
  }

  function end(f: Flow, reason: EndReason): void {
    flows.delete(f.key);
    st.flowsEnded++;
    if (reason === 'evict') st.evicted++;
    emit(f, reason);
  }

  function create(p: Packet, key: string): Flow {
    if (flows.size >= maxFlows) {
      const oldest = flows.values().next().value;
      if (oldest) end(oldest, 'evict');
    }
    const f = newFlow(p, key, nextBoundary(p.ts));
    guessDirection(f, p);
    flows.set(key, f);
    st.flowsCreated++;
    return f;
  }

  function guessDirection(f: Flow, p: Packet): void {
    const t = p.tuple;
    const srcListens = listeners.has(t.srcIp, t.srcPort);
    const dstListens = listeners.has(t.dstIp, t.dstPort);
    if (srcListens !== dstListens) {
      setClient(f, dstListens ? 0 : 1, 'listener');
      return;
    }
    const dstServer = dstLooksLikeServer(t.srcPort, t.dstPort, t.protocol === 'tcp');
    if (dstServer !== undefined) setClient(f, dstServer ? 0 : 1, 'port');
  }

  function setClient(f: Flow, idx: 0 | 1, src: DirectionSource): void {
    if (RANK[src] < RANK[f.dirSource]) return;
    f.clientIdx = idx;
    f.dirSource = src;
  }

  /** A new SYN on a finished or established connection is a new connection (port reuse). */
  function isReuse(f: Flow, p: Packet): boolean {
    const h = p.tcp;
    const t = f.tcp;
    if (!h || !t || !(h.flags & SYN) || h.flags & ACK) return false;
    if (f.closedAt > 0) return true;
    return t.established && t.synFrom >= 0 && h.seq !== t.synSeq;
  }

  function push(p: Packet): void {
    st.packets++;
    const proto = p.tuple.protocol;
    if ((proto !== 'tcp' && proto !== 'udp') || (proto === 'tcp' && !p.tcp)) {
      st.ignored++;
      return;
    }
    if (p.ts >= nextTick) tick(p.ts);
    const key = flowKeyOf(p.tuple);
    let f = flows.get(key);
    if (f && isReuse(f, p)) {
      end(f, 'reuse');
      f = undefined;
    }
    if (!f) f = create(p, key);
    const d = senderOf(f, p);
    const flags = p.tcp?.flags ?? 0;
    if (flags & SYN) {
      const clientIdx = flags & ACK ? (d === 0 ? 1 : 0) : d;
      setClient(f, clientIdx, 'handshake');
      if (flags & ACK) listeners.add(p.tuple.srcIp, p.tuple.srcPort);
    }
    const iv = f.iv;
    if (iv.firstTs === 0) iv.firstTs = p.ts;
    iv.lastTs = Math.max(iv.lastTs, p.ts);
    f.lastTs = Math.max(f.lastTs, p.ts);
    iv.bytes[d] += p.wireLength;
    iv.packets[d]++;
    f.total[d]++;
    if (f.tcp) {
      updateTcp(f, p, d);
      const t = f.tcp;
      if (f.closedAt === 0 && (flags & RST || (flags & FIN && t.fin[0] && t.fin[1]))) {
        f.closedAt = p.ts + linger;
      }
    } else updateUdp(f, p.ts, d);
  }

  function tick(now: number): void {
    nextTick = now + tickStep;
    const due: Flow[] = [];
    for (const f of flows.values()) {
      // a closed flow only waits out its linger: no periodic record in between
      if (f.closedAt > 0 ? now >= f.closedAt : now - f.lastTs >= idle || now >= f.nextReportTs) due.push(f);
    }
    for (const f of due) {
      if (f.closedAt > 0) end(f, 'closed');
      else if (now - f.lastTs >= idle) end(f, 'idle');
      else {
        if (f.iv.packets[0] + f.iv.packets[1] > 0) emit(f, 'periodic');
        f.nextReportTs = nextBoundary(now);
        // keep map order ~ least recently reported first, for eviction
        flows.delete(f.key);
        flows.set(f.key, f);
      }
    }
  }

  function flush(): void {
    for (const f of [...flows.values()]) end(f, f.closedAt > 0 ? 'closed' : 'flush');
  }

  function setL7Protocol(tuple: FiveTuple, proto: L7Protocol): void {
    const f = flows.get(flowKeyOf(tuple));
    if (!f) {
      st.l7Unmatched++;
      return;
    }
    f.l7 = proto;
    const clientIdx = tuple.srcIp === f.ip[0] && tuple.srcPort === f.port[0] ? 0 : 1;
    setClient(f, clientIdx, 'l7');
  }

  return {
    push,
    tick,
    flush,
    setL7Protocol,
    stats: () => ({ ...st, active: flows.size }),
  };
}
