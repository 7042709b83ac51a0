/**
 * The one output type of every capture source (eBPF socket data, AF_PACKET, pcap files).
 * Packet sources emit `Packet`s (TCP reassembly turns them into `StreamChunk`s);
 * the eBPF source emits `StreamChunk`s directly because the kernel already ordered them.
 */
import type { L4Protocol, SignalSource } from '@zeroscope/wire';

export interface FiveTuple {
  protocol: L4Protocol;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
}

export interface TcpHeader {
  seq: number;
  ack: number;
  /** FIN=0x01 SYN=0x02 RST=0x04 PSH=0x08 ACK=0x10 URG=0x20 */
  flags: number;
  window: number;
  /** window scale option when present on SYN/SYN-ACK */
  windowScale?: number;
}

/** A decoded L3/L4 packet from AF_PACKET or a capture file. */
export interface Packet {
  /** capture time, µs since epoch */
  ts: number;
  tuple: FiveTuple;
  tcp?: TcpHeader;
  payload: Uint8Array;
  /** bytes on the wire (IP total length) */
  wireLength: number;
  /** L4 payload bytes on the wire when the capture cut `payload` short (snaplen); flows use it for TCP sequence accounting */
  payloadLength?: number;
}

/** Which side sent the bytes. */
export type Direction = 'request' | 'response';

/** Process context known for eBPF chunks (absent for packets). */
export interface ProcessMeta {
  pid: number;
  tid: number;
  comm: string;
  fd: number;
  /** syscall trace id assigned in the kernel (0 when none) */
  syscallTraceId: number;
  /** which end of the connection this process is: client or server side */
  side: 'client' | 'server';
}

/** Contiguous, ordered bytes of one direction of one connection. */
export interface StreamChunk {
  ts: number;
  /** connection tuple oriented client -> server */
  tuple: FiveTuple;
  direction: Direction;
  payload: Uint8Array;
  /** TCP sequence number of payload[0] (0 for UDP) */
  tcpSeq: number;
  /** bytes of the message when payload was truncated by capture (>= payload.length) */
  totalLength: number;
  /** true when bytes before this chunk were lost (parsers must resynchronise) */
  gap: boolean;
  source: SignalSource;
  process?: ProcessMeta;
}
