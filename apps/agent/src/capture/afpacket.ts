/**
 * AF_PACKET capture source: raw link-layer frames from chosen interfaces, filtered in
 * the kernel by a classic BPF program, delivered in batches with µs timestamps.
 * Decoding Ethernet/IP/TCP is packet.ts's job.
 */
import { readFileSync } from 'node:fs';
import {
  BpfError,
  type Frame,
  openPacketSocket,
  PACKET_OUTGOING,
  type PacketSocket,
  portsFilter,
} from '@zeroscope/bpf';

export interface RawFrame {
  /** capture time, µs since epoch */
  ts: number;
  /** bytes from the Ethernet header on */
  data: Uint8Array;
}

export interface AfPacketOptions {
  /** interface names; every interface when empty or omitted */
  interfaces?: string[];
  /** keep only TCP/UDP frames with one of these ports (ignored when `filter` is given) */
  ports?: number[];
  /** a classic BPF program (struct sock_filter[]) */
  filter?: Uint8Array;
  /** bytes kept per frame; default 65535 */
  snaplen?: number;
  onFrames(frames: RawFrame[]): void;
  log?(line: string): void;
}

export interface AfPacketCapture {
  stop(): Promise<void>;
  stats(): { frames: number; bytes: number; batches: number };
}

function loopbackIndex(): number {
  try {
    return Number(readFileSync('/sys/class/net/lo/ifindex', 'utf8').trim());
  } catch {
    return 1;
  }
}

export async function startAfPacketCapture(opts: AfPacketOptions): Promise<AfPacketCapture> {
  const filter = opts.filter ?? portsFilter(opts.ports ?? []);
  const lo = loopbackIndex();
  const stats = { frames: 0, bytes: 0, batches: 0 };
  const deliver = (frames: Frame[]) => {
    // loopback shows every frame twice (outgoing and incoming): keep one copy
    const kept = frames.filter((f) => !(f.pktType === PACKET_OUTGOING && f.ifindex === lo));
    if (kept.length === 0) return;
    stats.batches++;
    stats.frames += kept.length;
    for (const f of kept) stats.bytes += f.data.length;
    opts.onFrames(kept.map((f) => ({ ts: f.ts, data: f.data })));
  };
  const names = opts.interfaces?.length ? opts.interfaces : [''];
  const sockets: PacketSocket[] = [];
  try {
    for (const name of names) {
      sockets.push(
        openPacketSocket({ interface: name || undefined, filter, snaplen: opts.snaplen, onFrames: deliver }),
      );
      opts.log?.(`afpacket: capturing on ${name || 'all interfaces'}`);
    }
  } catch (e) {
    for (const s of sockets) s.close();
    const err = BpfError.from('afpacket', e);
    if (err.errno === 1) err.message = `${err.message} (AF_PACKET needs root or CAP_NET_RAW)`;
    throw err;
  }
  return {
    stats: () => ({ ...stats }),
    stop: async () => {
      for (const s of sockets) {
        s.drain();
        s.close();
      }
    },
  };
}
