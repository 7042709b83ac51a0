import type { FiveTuple } from '../capture/types';

/** Stable 52-bit hash of a client->server 5-tuple (two FNV-1a lanes), same on every agent. */
export function flowId(t: FiveTuple): number {
  const s = `${t.protocol}|${t.srcIp}|${t.srcPort}|${t.dstIp}|${t.dstPort}`;
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0) * 0x100000 + ((b >>> 0) & 0xfffff);
}
