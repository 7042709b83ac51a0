/** Kernel symbols from /proc/kallsyms (text symbols only), for kernel stack frames. */
import { readFileSync } from 'node:fs';

export interface KernelSymbols {
  addrs: BigUint64Array;
  names: string[];
}

export function parseKallsyms(text: string): KernelSymbols {
  const rows: [bigint, string][] = [];
  for (const line of text.split('\n')) {
    const a = line.indexOf(' ');
    if (a <= 0 || line.length < a + 3) continue;
    const t = line[a + 1];
    if (t !== 't' && t !== 'T' && t !== 'w' && t !== 'W') continue;
    const b = line.indexOf(' ', a + 2);
    if (b < 0) continue;
    let name = line.slice(b + 1);
    const tab = name.indexOf('\t'); // module symbols: "name\t[module]"
    if (tab >= 0) name = name.slice(0, tab);
    let addr: bigint;
    try {
      addr = BigInt(`0x${line.slice(0, a)}`);
    } catch {
      continue;
    }
    if (addr === 0n) continue; // unprivileged readers see zeros
    rows.push([addr, name]);
  }
  rows.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return { addrs: BigUint64Array.from(rows.map((r) => r[0])), names: rows.map((r) => r[1]) };
}

export function loadKallsyms(path = '/proc/kallsyms'): KernelSymbols {
  try {
    return parseKallsyms(readFileSync(path, 'latin1'));
  } catch {
    return { addrs: new BigUint64Array(), names: [] };
  }
}

export function lookupKernel(k: KernelSymbols, addr: bigint): string | undefined {
  let lo = 0;
  let hi = k.addrs.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (k.addrs[mid]! <= addr) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans < 0 ? undefined : k.names[ans];
}
