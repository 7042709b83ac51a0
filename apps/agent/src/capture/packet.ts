/**
 * Link/network/transport decoding of captured frames into `Packet`s: Ethernet (+802.1Q/QinQ),
 * Linux SLL and SLL2, BSD loopback, raw IP; IPv4 and IPv6 (extension headers skipped); TCP
 * (window scale option) and UDP. IP fragments are dropped and counted, not reassembled:
 * request parsing needs the first bytes of a stream, and fragmented TCP is vanishingly rare.
 */
import type { Packet, TcpHeader } from './types';

export interface DecodeStats {
  decoded: number;
  /** not IP, not TCP/UDP, or an unknown link type */
  skipped: number;
  /** malformed headers */
  malformed: number;
  fragments: number;
}

export const newDecodeStats = (): DecodeStats => ({ decoded: 0, skipped: 0, malformed: 0, fragments: 0 });

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const ETH_VLAN = [0x8100, 0x88a8, 0x9100];

/** Byte offset and ethertype of the IP header inside a frame, or undefined. */
function locateIp(linkType: number, d: Uint8Array): { off: number; type: number } | undefined {
  switch (linkType) {
    case 1: {
      if (d.length < 14) return undefined;
      let off = 12;
      let type = u16(d, off);
      while (ETH_VLAN.includes(type) && off + 6 <= d.length) {
        off += 4;
        type = u16(d, off);
      }
      return { off: off + 2, type };
    }
    case 113: // Linux cooked v1: protocol at 14
      return d.length < 16 ? undefined : { off: 16, type: u16(d, 14) };
    case 276: // Linux cooked v2: protocol at 0
      return d.length < 20 ? undefined : { off: 20, type: u16(d, 0) };
    case 0: // BSD loopback: host-order AF family
    case 108: {
      if (d.length < 4) return undefined;
      const af = d[0] === 0 ? d[3]! : d[0]!;
      return { off: 4, type: af === 2 ? ETH_IPV4 : ETH_IPV6 };
    }
    case 12:
    case 14:
    case 101:
      if (d.length < 1) return undefined;
      return { off: 0, type: d[0]! >> 4 === 6 ? ETH_IPV6 : ETH_IPV4 };
    case 228:
      return { off: 0, type: ETH_IPV4 };
    case 229:
      return { off: 0, type: ETH_IPV6 };
    default:
      return undefined;
  }
}

export function decodeFrame(
  linkType: number,
  d: Uint8Array,
  ts: number,
  stats: DecodeStats = newDecodeStats(),
): Packet | undefined {
  const loc = locateIp(linkType, d);
  if (!loc || (loc.type !== ETH_IPV4 && loc.type !== ETH_IPV6)) {
    stats.skipped++;
    return undefined;
  }
  const ip = loc.type === ETH_IPV4 ? ipv4(d, loc.off, stats) : ipv6(d, loc.off, stats);
  if (!ip) return undefined;
  const { src, dst, proto, l4, end, wireLength } = ip;
  if (proto === 17) {
    if (end - l4 < 8) return malformed(stats);
    stats.decoded++;
    return {
      ts,
      tuple: { protocol: 'udp', srcIp: src, srcPort: u16(d, l4), dstIp: dst, dstPort: u16(d, l4 + 2) },
      payload: d.subarray(l4 + 8, end),
      wireLength,
    };
  }
  if (proto === 6) {
    if (end - l4 < 20) return malformed(stats);
    const hlen = (d[l4 + 12]! >> 4) * 4;
    if (hlen < 20 || l4 + hlen > end) return malformed(stats);
    const tcp: TcpHeader = {
      seq: u32(d, l4 + 4),
      ack: u32(d, l4 + 8),
      flags: d[l4 + 13]!,
      window: u16(d, l4 + 14),
    };
    if (tcp.flags & 0x02) {
      const ws = windowScale(d, l4 + 20, l4 + hlen);
      if (ws !== undefined) tcp.windowScale = ws;
    }
    stats.decoded++;
    return {
      ts,
      tuple: { protocol: 'tcp', srcIp: src, srcPort: u16(d, l4), dstIp: dst, dstPort: u16(d, l4 + 2) },
      tcp,
      payload: d.subarray(l4 + hlen, end),
      wireLength,
    };
  }
  stats.skipped++;
  return undefined;
}

interface IpInfo {
  src: string;
  dst: string;
  proto: number;
  l4: number;
  /** end of the IP payload inside the frame (Ethernet padding excluded, snaplen respected) */
  end: number;
  wireLength: number;
}

function ipv4(d: Uint8Array, off: number, stats: DecodeStats): IpInfo | undefined {
  if (d.length - off < 20 || d[off]! >> 4 !== 4) return malformed(stats);
  const ihl = (d[off]! & 0x0f) * 4;
  const total = u16(d, off + 2);
  if (ihl < 20 || total < ihl) return malformed(stats);
  const frag = u16(d, off + 6);
  if (frag & 0x3fff) {
    stats.fragments++;
    return undefined;
  }
  return {
    src: ipv4Text(d, off + 12),
    dst: ipv4Text(d, off + 16),
    proto: d[off + 9]!,
    l4: off + ihl,
    // total may be 0 with TSO captures: trust the frame then
    end: total === 0 ? d.length : Math.min(d.length, off + total),
    wireLength: total || d.length - off,
  };
}

/** Dotted IPv4 strings are cached: a node sees few distinct addresses, and strings cost GC. */
const V4_CACHE = new Map<number, string>();
const V4_CACHE_MAX = 8192;

function ipv4Text(d: Uint8Array, p: number): string {
  const n = u32(d, p);
  let s = V4_CACHE.get(n);
  if (s === undefined) {
    if (V4_CACHE.size >= V4_CACHE_MAX) V4_CACHE.clear();
    s = `${d[p]}.${d[p + 1]}.${d[p + 2]}.${d[p + 3]}`;
    V4_CACHE.set(n, s);
  }
  return s;
}

function ipv6(d: Uint8Array, off: number, stats: DecodeStats): IpInfo | undefined {
  if (d.length - off < 40 || d[off]! >> 4 !== 6) return malformed(stats);
  const plen = u16(d, off + 4);
  let next = d[off + 6]!;
  let p = off + 40;
  const end = plen === 0 ? d.length : Math.min(d.length, p + plen);
  // hop-by-hop, routing, destination options, fragment
  for (let hops = 0; hops < 8 && (next === 0 || next === 43 || next === 60 || next === 44); hops++) {
    if (p + 8 > end) return malformed(stats);
    if (next === 44) {
      stats.fragments++;
      return undefined;
    }
    const len = (d[p + 1]! + 1) * 8;
    next = d[p]!;
    p += len;
  }
  if (p > end) return malformed(stats);
  return {
    src: ipv6Text(d, off + 8),
    dst: ipv6Text(d, off + 24),
    proto: next,
    l4: p,
    end,
    wireLength: plen + 40,
  };
}

function windowScale(d: Uint8Array, p: number, end: number): number | undefined {
  while (p < end) {
    const kind = d[p]!;
    if (kind === 0) return undefined;
    if (kind === 1) {
      p++;
      continue;
    }
    const len = d[p + 1];
    if (len === undefined || len < 2) return undefined;
    if (kind === 3 && len === 3 && p + 2 < end) return d[p + 2]!;
    p += len;
  }
  return undefined;
}

/** RFC 5952 text form (longest zero run compressed; IPv4-mapped shown dotted). */
export function ipv6Text(d: Uint8Array, off: number): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push(u16(d, off + i * 2));
  if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[4] === 0 && w[5] === 0xffff) {
    return `::ffff:${d[off + 12]}.${d[off + 13]}.${d[off + 14]}.${d[off + 15]}`;
  }
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(':');
  if (bestAt < 0) return hex(w);
  return `${hex(w.slice(0, bestAt))}::${hex(w.slice(bestAt + bestLen))}`;
}

function malformed(stats: DecodeStats): undefined {
  stats.malformed++;
  return undefined;
}

const u16 = (d: Uint8Array, p: number) => (d[p]! << 8) | d[p + 1]!;
const u32 = (d: Uint8Array, p: number) =>
  ((d[p]! << 24) | (d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!) >>> 0;
