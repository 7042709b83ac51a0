/**
 * TCP payloads of a pcap (Ethernet/SLL + IPv4/IPv6), in file order: the raw material the
 * parser fuzz test mutates. Replays with reassembly and pairing go through src/replay.
 */
import { readFileSync } from 'node:fs';

export interface Segment {
  ts: number;
  srcPort: number;
  dstPort: number;
  seq: number;
  flags: number;
  payload: Uint8Array;
}

function linkOffset(linktype: number, frame: Uint8Array): number | undefined {
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (linktype === 1) {
    let off = 12;
    let type = dv.getUint16(off);
    while (type === 0x8100 || type === 0x88a8) {
      off += 4;
      type = dv.getUint16(off);
    }
    return type === 0x0800 || type === 0x86dd ? off + 2 : undefined;
  }
  if (linktype === 113) return 16;
  if (linktype === 276) return 20;
  if (linktype === 101 || linktype === 228 || linktype === 229) return 0;
  return undefined;
}

export function readTcpSegments(path: string): Segment[] {
  const file = readFileSync(path);
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const magic = dv.getUint32(0, true);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  const linktype = dv.getUint32(20, le);
  const out: Segment[] = [];
  let off = 24;
  while (off + 16 <= file.length) {
    const sec = dv.getUint32(off, le);
    const frac = dv.getUint32(off + 4, le);
    const incl = dv.getUint32(off + 8, le);
    const frame = file.subarray(off + 16, off + 16 + incl);
    off += 16 + incl;
    const ts = sec * 1_000_000 + (nano ? Math.floor(frac / 1000) : frac);
    const l3 = linkOffset(linktype, frame);
    if (l3 === undefined || l3 >= frame.length) continue;
    const f = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const version = frame[l3]! >> 4;
    let l4: number;
    let end: number;
    if (version === 4) {
      if (frame[l3 + 9] !== 6) continue;
      l4 = l3 + (frame[l3]! & 0x0f) * 4;
      end = Math.min(frame.length, l3 + f.getUint16(l3 + 2));
    } else if (version === 6) {
      if (frame[l3 + 6] !== 6) continue;
      l4 = l3 + 40;
      end = Math.min(frame.length, l4 + f.getUint16(l3 + 4));
    } else continue;
    if (l4 + 20 > frame.length) continue;
    const dataOff = l4 + (frame[l4 + 12]! >> 4) * 4;
    out.push({
      ts,
      srcPort: f.getUint16(l4),
      dstPort: f.getUint16(l4 + 2),
      seq: f.getUint32(l4 + 4),
      flags: frame[l4 + 13]!,
      payload: frame.subarray(Math.min(dataOff, end), end),
    });
  }
  return out;
}
