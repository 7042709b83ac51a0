/** AF_PACKET capture through the addon: one batch of raw frames per event-loop wake-up. */
import { call } from './errors';
import { type Handle, native } from './native';

export interface Frame {
  /** capture time, µs since epoch */
  ts: number;
  /** the captured bytes, starting at the link-layer header */
  data: Uint8Array;
  /** length on the wire (>= data.length) */
  wireLength: number;
  ifindex: number;
  /** PACKET_HOST=0, PACKET_BROADCAST=1, PACKET_MULTICAST=2, PACKET_OTHERHOST=3, PACKET_OUTGOING=4 */
  pktType: number;
}

export const PACKET_OUTGOING = 4;

export interface PacketSocketOptions {
  /** interface name; all interfaces when omitted */
  interface?: string;
  /** classic BPF program (see cbpf.ts); everything when omitted */
  filter?: Uint8Array;
  /** bytes kept per frame; default 65535 */
  snaplen?: number;
  onFrames(frames: Frame[]): void;
}

export interface PacketSocket {
  /** the socket's fd, e.g. to attach an eBPF socket filter */
  readonly fd: number;
  /** delivers what is queued now */
  drain(): void;
  close(): void;
}

const HDR = 24;

export function decodeFrames(batch: Buffer): Frame[] {
  const frames: Frame[] = [];
  let off = 0;
  while (off + HDR <= batch.length) {
    const ts = Number(batch.readBigUInt64LE(off));
    const caplen = batch.readUInt32LE(off + 8);
    const start = off + HDR;
    if (start + caplen > batch.length) break;
    frames.push({
      ts,
      wireLength: batch.readUInt32LE(off + 12),
      ifindex: batch.readUInt32LE(off + 16),
      pktType: batch.readUInt16LE(off + 20),
      data: batch.subarray(start, start + caplen),
    });
    off = start + ((caplen + 7) & ~7);
  }
  return frames;
}

export function openPacketSocket(opts: PacketSocketOptions): PacketSocket {
  const n = native();
  const filter = opts.filter
    ? Buffer.from(opts.filter.buffer, opts.filter.byteOffset, opts.filter.byteLength)
    : null;
  const id: Handle = call('packetOpen', () =>
    n.packetOpen(opts.interface ?? '', filter, (b) => opts.onFrames(decodeFrames(b)), opts.snaplen ?? 65535),
  );
  let open = true;
  return {
    fd: call('packetFd', () => n.packetFd(id)),
    drain: () => {
      if (open) call('packetDrain', () => n.packetDrain(id));
    },
    close: () => {
      if (open) n.close(id);
      open = false;
    },
  };
}
