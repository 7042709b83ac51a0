/**
 * Per-flow state. Everything directional is indexed by sender: 0 = the endpoint that sent the
 * flow's first packet ("A"), 1 = the other ("B"); `clientIdx` maps that onto client/server at
 * report time, so a late direction decision (SYN-ACK, L7 request) only flips one number.
 * `iv` counters cover the current report interval and are reset after each flow log.
 */
import type { L4Protocol, L7Protocol } from '@zeroscope/wire';
import type { Packet } from '../capture/types';
import { SeqTracker } from './seq-tracker';

/** How sure we are about which end is the client, weakest first. */
export type DirectionSource = 'first' | 'port' | 'listener' | 'l7' | 'handshake';

export interface Stat {
  sum: number;
  count: number;
}

export interface IntervalCounters {
  bytes: [number, number];
  packets: [number, number];
  retrans: [number, number];
  zeroWin: [number, number];
  ooo: [number, number];
  syn: number;
  synAck: number;
  /** SRT/ART samples measured on packets sent by each side */
  srt: [Stat, Stat];
  art: [Stat, Stat];
  firstTs: number;
  lastTs: number;
}

export type HandshakePhase = 'none' | 'syn' | 'synack' | 'synack_only' | 'done' | 'broken';

export interface TcpState {
  phase: HandshakePhase;
  synSeq: number;
  synAckSeq: number;
  firstSynTs: number;
  firstSynAckTs: number;
  /** µs; -1 until measured */
  rttServer: number;
  rttClient: number;
  rttReported: boolean;
  synFrom: -1 | 0 | 1;
  synAckFrom: -1 | 0 | 1;
  /** a client ACK followed a SYN-ACK */
  established: boolean;
  fin: [boolean, boolean];
  firstRstFrom: -1 | 0 | 1;
  /** the first packet from each side, by flags, for "refused" detection */
  firstFlags: [number, number];
  seq: [SeqTracker, SeqTracker];
  lastDataTs: [number, number];
  lastDataEnd: [number, number];
  /** side d sent data its peer has not answered with data yet (ART) */
  awaitingData: [boolean, boolean];
  /** side d sent data its peer has not acknowledged with a pure ACK yet (SRT) */
  awaitingAck: [boolean, boolean];
}

export interface Flow {
  key: string;
  protocol: L4Protocol;
  ip: [string, string];
  port: [number, number];
  clientIdx: 0 | 1;
  dirSource: DirectionSource;
  startTs: number;
  lastTs: number;
  /** lifetime packets per sender */
  total: [number, number];
  iv: IntervalCounters;
  nextReportTs: number;
  /** ts at which a closed (FIN+FIN or RST) flow is emitted */
  closedAt: number;
  l7: L7Protocol;
  tcp?: TcpState;
  /** UDP: last request-direction packet ts awaiting a response, per sender */
  udpAwait: [number, number];
}

const stat = (): Stat => ({ sum: 0, count: 0 });

export function newInterval(): IntervalCounters {
  return {
    bytes: [0, 0],
    packets: [0, 0],
    retrans: [0, 0],
    zeroWin: [0, 0],
    ooo: [0, 0],
    syn: 0,
    synAck: 0,
    srt: [stat(), stat()],
    art: [stat(), stat()],
    firstTs: 0,
    lastTs: 0,
  };
}

function newTcp(): TcpState {
  return {
    phase: 'none',
    synSeq: 0,
    synAckSeq: 0,
    firstSynTs: 0,
    firstSynAckTs: 0,
    rttServer: -1,
    rttClient: -1,
    rttReported: false,
    synFrom: -1,
    synAckFrom: -1,
    established: false,
    fin: [false, false],
    firstRstFrom: -1,
    firstFlags: [-1, -1],
    seq: [new SeqTracker(), new SeqTracker()],
    lastDataTs: [0, 0],
    lastDataEnd: [0, 0],
    awaitingData: [false, false],
    awaitingAck: [false, false],
  };
}

export function newFlow(p: Packet, key: string, nextReportTs: number): Flow {
  const t = p.tuple;
  return {
    key,
    protocol: t.protocol,
    ip: [t.srcIp, t.dstIp],
    port: [t.srcPort, t.dstPort],
    clientIdx: 0,
    dirSource: 'first',
    startTs: p.ts,
    lastTs: p.ts,
    total: [0, 0],
    iv: newInterval(),
    nextReportTs,
    closedAt: 0,
    l7: 'unknown',
    tcp: t.protocol === 'tcp' ? newTcp() : undefined,
    udpAwait: [0, 0],
  };
}

/** 0 when the packet was sent by the flow's first sender. */
export function senderOf(f: Flow, p: Packet): 0 | 1 {
  return p.tuple.srcIp === f.ip[0] && p.tuple.srcPort === f.port[0] ? 0 : 1;
}

export function addStat(s: Stat, v: number): void {
  s.sum += v;
  s.count++;
}
