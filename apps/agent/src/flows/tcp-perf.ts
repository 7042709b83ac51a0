/**
 * TCP performance accounting for one packet of a flow (DeepFlow's PerfData semantics, see
 * test/flows-fixtures.test.ts): handshake RTT split at the capture point, SRT (data -> the
 * peer's pure ACK of it), ART (data -> the peer's first data after it), retransmissions
 * (bytes seen before re-sent, SYN/SYN-ACK repeats included), zero windows, SYN counts.
 */
import type { Packet, TcpHeader } from '../capture/types';
import { addStat, type Flow, type TcpState } from './flow';

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const ACK = 0x10;

/** seq a - seq b as a signed 32-bit difference */
export const seqDiff = (a: number, b: number): number => (a - b) | 0;

export function updateTcp(f: Flow, p: Packet, d: 0 | 1): void {
  const t = f.tcp;
  const h = p.tcp;
  if (!t || !h) return;
  const iv = f.iv;
  const flags = h.flags;
  if (t.firstFlags[d] < 0) t.firstFlags[d] = flags;
  if (h.window === 0 && !(flags & RST)) iv.zeroWin[d]++;
  if (flags & RST && t.firstRstFrom < 0) t.firstRstFrom = d;
  if (flags & SYN) {
    handshake(f, t, h, p.ts, d);
    return;
  }
  afterHandshake(f, t, h, p.ts, d);
  if (flags & FIN) t.fin[d] = true;
  const len = Math.max(p.payload.length, p.payloadLength ?? 0);
  if (len > 0) data(f, t, h, p.ts, d, len);
  else if (flags & ACK && !(flags & (FIN | RST))) pureAck(f, t, h, p.ts, d);
}

function handshake(f: Flow, t: TcpState, h: TcpHeader, ts: number, d: 0 | 1): void {
  const iv = f.iv;
  if (!(h.flags & ACK)) {
    iv.syn++;
    if (t.synFrom >= 0 && h.seq === t.synSeq) iv.retrans[d]++;
    if (t.synFrom < 0) {
      t.synFrom = d;
      t.synSeq = h.seq;
      t.firstSynTs = ts;
      if (t.phase === 'none') t.phase = 'syn';
    }
    return;
  }
  iv.synAck++;
  if (t.synAckFrom >= 0 && h.seq === t.synAckSeq) iv.retrans[d]++;
  if (t.synAckFrom >= 0) return;
  t.synAckFrom = d;
  t.synAckSeq = h.seq;
  t.firstSynAckTs = ts;
  if (t.phase === 'syn' && t.synFrom !== d) {
    t.rttServer = ts - t.firstSynTs;
    t.phase = 'synack';
  } else if (t.phase === 'none') t.phase = 'synack_only';
}

/** A non-SYN packet: completes or breaks the handshake. */
function afterHandshake(f: Flow, t: TcpState, h: TcpHeader, ts: number, d: 0 | 1): void {
  const fromClient = d === f.clientIdx;
  if (t.phase === 'syn') {
    // anything but a SYN-ACK between SYN and SYN-ACK makes the handshake timing meaningless
    t.phase = 'broken';
    return;
  }
  if (!fromClient || !(h.flags & ACK) || h.flags & RST) return;
  if (t.synAckFrom >= 0 && !t.established) {
    t.established = true;
    if (t.phase === 'synack') t.rttClient = ts - t.firstSynAckTs;
    if (t.phase === 'synack' || t.phase === 'synack_only') t.phase = 'done';
  }
}

function data(f: Flow, t: TcpState, h: TcpHeader, ts: number, d: 0 | 1, len: number): void {
  const kind = t.seq[d].observe(h.seq, len);
  if (kind === 'retrans') f.iv.retrans[d]++;
  else if (kind === 'ooo') f.iv.ooo[d]++;
  // a 1-byte retransmission is a keep-alive probe, not a request
  if (kind === 'retrans' && len <= 1) return;
  const o = d === 0 ? 1 : 0;
  if (t.awaitingData[o]) {
    addStat(f.iv.art[d], ts - t.lastDataTs[o]);
    t.awaitingData[o] = false;
  }
  t.awaitingAck[o] = false;
  t.lastDataTs[d] = ts;
  t.lastDataEnd[d] = (h.seq + len) >>> 0;
  t.awaitingData[d] = true;
  t.awaitingAck[d] = true;
}

function pureAck(f: Flow, t: TcpState, h: TcpHeader, ts: number, d: 0 | 1): void {
  const o = d === 0 ? 1 : 0;
  if (t.awaitingAck[o] && seqDiff(h.ack, t.lastDataEnd[o]) >= 0) {
    addStat(f.iv.srt[d], ts - t.lastDataTs[o]);
    t.awaitingAck[o] = false;
  }
}

/** UDP ART: the last packet of one side to the first packet of the other after it. */
export function updateUdp(f: Flow, ts: number, d: 0 | 1): void {
  const o = d === 0 ? 1 : 0;
  if (f.udpAwait[o] > 0) {
    addStat(f.iv.art[d], ts - f.udpAwait[o]);
    f.udpAwait[o] = 0;
  }
  f.udpAwait[d] = ts;
}
