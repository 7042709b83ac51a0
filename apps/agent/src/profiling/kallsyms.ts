/** Kernel symbols from /proc/kallsyms (text symbols only), for kernel stack frames. */
import { readFileSync } from 'node:fs';
import { floorIndex } from './elf';

export interface KernelSymbols {
  /** addresses below KERNEL_BASE's top 16 bits, as numbers (kernel text is in the top 2^48) */
  addrs: Float64Array;
  names: string[];
}

/** x86-64 kernel (and module) text lives at 0xffff...; the low 48 bits fit a double. */
const LOW48 = (1n << 48n) - 1n;

export function parseKallsyms(text: string): KernelSymbols {
  const rows: [number, string][] = [];
  let from = 0;
  while (from < text.length) {
    let end = text.indexOf('\n', from);
    if (end < 0) end = text.length;
    const line = text.slice(from, end);
    from = end + 1;
    const a = line.indexOf(' ');
    if (a !== 16 || line.length < a + 3) continue;
    const t = line[a + 1];
    if (t !== 't' && t !== 'T' && t !== 'w' && t !== 'W') continue;
    if (!line.startsWith('ffff')) continue; // zeros for unprivileged readers, or not kernel text
    const b = line.indexOf(' ', a + 2);
    if (b < 0) continue;
    const addr = Number.parseInt(line.slice(4, 16), 16);
    if (!Number.isFinite(addr)) continue;
    let name = line.slice(b + 1);
    const tab = name.indexOf('\t'); // module symbols: "name\t[module]"
    if (tab >= 0) name = name.slice(0, tab);
    rows.push([addr, name]);
  }
  rows.sort((x, y) => x[0] - y[0]);
  return { addrs: Float64Array.from(rows, (r) => r[0]), names: rows.map((r) => r[1]) };
}

export function loadKallsyms(path = '/proc/kallsyms'): KernelSymbols {
  try {
    return parseKallsyms(readFileSync(path, 'latin1'));
  } catch {
    return { addrs: new Float64Array(), names: [] };
  }
}

/** `low48`: the address's low 48 bits (kernel text is 0xffff...); negative: unknown. */
export function lookupKernel(k: KernelSymbols, low48: number): string | undefined {
  if (low48 < 0) return undefined;
  const i = floorIndex(k.addrs, low48);
  return i < 0 ? undefined : k.names[i];
}

/** The low 48 bits of a 64-bit kernel address, as lookupKernel takes it. */
export function kernelLow48(addr: bigint): number {
  return addr >> 48n === 0xffffn ? Number(addr & LOW48) : -1;
}
