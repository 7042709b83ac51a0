/** Textual IPv4/IPv6 <-> 16-byte IPv6 (IPv4 mapped to ::ffff:a.b.c.d), as ClickHouse stores IPv6. */

function parseV4(s: string, out: Uint8Array, at: number): boolean {
  let part = 0;
  let digits = 0;
  let idx = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || idx > 3) return false;
      out[at + idx++] = part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + (c - 48);
      if (part > 255) return false;
      digits++;
    } else return false;
  }
  return idx === 4;
}

function parseV6(s: string, out: Uint8Array): boolean {
  const dbl = s.indexOf('::');
  if (dbl !== s.lastIndexOf('::')) return false;
  const parseGroups = (part: string, tailV4: boolean): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const g = items[i]!;
      if (tailV4 && i === items.length - 1 && g.includes('.')) {
        const v4 = new Uint8Array(4);
        if (!parseV4(g, v4, 0)) return undefined;
        groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      groups.push(Number.parseInt(g, 16));
    }
    return groups;
  };
  let groups: number[];
  if (dbl >= 0) {
    const head = parseGroups(s.slice(0, dbl), false);
    const tail = parseGroups(s.slice(dbl + 2), true);
    if (!head || !tail || head.length + tail.length > 7) return false;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseGroups(s, true);
    if (all?.length !== 8) return false;
    groups = all;
  }
  for (let i = 0; i < 8; i++) {
    out[i * 2] = groups[i]! >> 8;
    out[i * 2 + 1] = groups[i]! & 0xff;
  }
  return true;
}

/** Writes the 16-byte form of `ip` into out[at..at+16); false (and zeros) when it is not an IP. */
export function ipToBytes(ip: string, out: Uint8Array, at = 0): boolean {
  out.fill(0, at, at + 16);
  if (ip.includes(':')) {
    const zone = ip.indexOf('%');
    const tmp = new Uint8Array(16);
    if (!parseV6(zone >= 0 ? ip.slice(0, zone) : ip, tmp)) return false;
    out.set(tmp, at);
    return true;
  }
  if (!parseV4(ip, out, at + 12)) {
    out.fill(0, at + 12, at + 16);
    return false;
  }
  out[at + 10] = 0xff;
  out[at + 11] = 0xff;
  return true;
}

/** Textual form: dotted quad for IPv4-mapped addresses, compressed hex groups otherwise. */
export function bytesToIp(b: Uint8Array, at = 0): string {
  let mapped = b[at + 10] === 0xff && b[at + 11] === 0xff;
  for (let i = 0; i < 10 && mapped; i++) if (b[at + i] !== 0) mapped = false;
  if (mapped) return `${b[at + 12]}.${b[at + 13]}.${b[at + 14]}.${b[at + 15]}`;
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[at + i * 2]! << 8) | b[at + i * 2 + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) =>
    g
      .slice(from, to)
      .map((x) => x.toString(16))
      .join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}
