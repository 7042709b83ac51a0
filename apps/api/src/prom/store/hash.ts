/**
 * 53-bit content hashes (exact JS numbers, UInt64 in ClickHouse) for metric names, label
 * names, label values and label sets: every API instance derives the same id for the same
 * text with no coordination, so several instances can write one `prometheus` database.
 * Two 32-bit FNV-1a lanes with different offsets, each finished with a murmur3-style
 * avalanche, give 32 + 21 bits.
 */
function lane(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function hash53(s: string): number {
  const hi = lane(s, 0x811c9dc5) & 0x1fffff;
  const lo = lane(s, 0x2f3a4d5b);
  // never 0: 0 means "none" in the tag columns
  return hi * 0x100000000 + lo || 1;
}
