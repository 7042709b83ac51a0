/**
 * ELF64 little-endian symbol tables for symbolization: FUNC symbols of .symtab (else
 * .dynsym), the PT_LOAD segments that map file offsets to virtual addresses, and the
 * GNU build-id. Reads only the headers and the tables it needs (positional reads), so a
 * 100 MB binary such as node costs a few MB. Malformed files give an ElfError, never a
 * crash or an out-of-range read.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export class ElfError extends Error {
  override readonly name = 'ElfError';
  constructor(
    readonly code: 'open' | 'not_elf' | 'unsupported' | 'truncated',
    message: string,
  ) {
    super(message);
  }
}

export interface LoadSegment {
  offset: number;
  vaddr: number;
  filesz: number;
}

export interface ElfSymbols {
  buildId: string;
  /** executable (ET_EXEC: absolute addresses) or shared (ET_DYN: relative to the load base) */
  type: 'exec' | 'dyn';
  segments: LoadSegment[];
  /** sorted by address */
  addrs: Float64Array;
  sizes: Float64Array;
  names: string[];
}

const SHT_SYMTAB = 2;
const SHT_NOTE = 7;
const SHT_DYNSYM = 11;
const PT_LOAD = 1;
const STT_FUNC = 2;
const STT_GNU_IFUNC = 10;
const NT_GNU_BUILD_ID = 3;
/** symbol tables above this are refused: bounds agent memory */
const MAX_TABLE_BYTES = 64 << 20;

interface Section {
  type: number;
  offset: number;
  size: number;
  link: number;
  entsize: number;
}

class Reader {
  readonly size: number;
  constructor(private readonly fd: number) {
    this.size = fstatSync(fd).size;
  }
  read(offset: number, length: number): Buffer {
    if (offset < 0 || length < 0 || offset + length > this.size)
      throw new ElfError('truncated', `read past the end (${offset}+${length} > ${this.size})`);
    const b = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, b, got, length - got, offset + got);
      if (n <= 0) throw new ElfError('truncated', 'short read');
      got += n;
    }
    return b;
  }
}

const u64 = (b: Buffer, off: number) => Number(b.readBigUInt64LE(off));

function sections(r: Reader, h: Buffer): Section[] {
  const shoff = u64(h, 0x28);
  const shentsize = h.readUInt16LE(0x3a);
  const shnum = h.readUInt16LE(0x3c);
  if (shoff === 0 || shnum === 0) return [];
  if (shentsize < 64) throw new ElfError('unsupported', `section header size ${shentsize}`);
  const t = r.read(shoff, shentsize * shnum);
  const out: Section[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = i * shentsize;
    out.push({
      type: t.readUInt32LE(o + 4),
      offset: u64(t, o + 0x18),
      size: u64(t, o + 0x20),
      link: t.readUInt32LE(o + 0x28),
      entsize: u64(t, o + 0x38),
    });
  }
  return out;
}

function segments(r: Reader, h: Buffer): LoadSegment[] {
  const phoff = u64(h, 0x20);
  const phentsize = h.readUInt16LE(0x36);
  const phnum = h.readUInt16LE(0x38);
  if (phnum === 0) return [];
  if (phentsize < 56) throw new ElfError('unsupported', `program header size ${phentsize}`);
  const t = r.read(phoff, phentsize * phnum);
  const out: LoadSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = i * phentsize;
    if (t.readUInt32LE(o) !== PT_LOAD) continue;
    out.push({ offset: u64(t, o + 8), vaddr: u64(t, o + 0x10), filesz: u64(t, o + 0x20) });
  }
  return out;
}

function buildId(r: Reader, secs: Section[]): string {
  for (const s of secs) {
    if (s.type !== SHT_NOTE || s.size > 4096) continue;
    const n = r.read(s.offset, s.size);
    let o = 0;
    while (o + 12 <= n.length) {
      const namesz = n.readUInt32LE(o);
      const descsz = n.readUInt32LE(o + 4);
      const type = n.readUInt32LE(o + 8);
      const name = o + 12;
      const desc = name + ((namesz + 3) & ~3);
      if (desc + descsz > n.length) break;
      if (type === NT_GNU_BUILD_ID && n.toString('latin1', name, name + 3) === 'GNU')
        return n.toString('hex', desc, desc + descsz);
      o = desc + ((descsz + 3) & ~3);
    }
  }
  return '';
}

function symbols(r: Reader, secs: Section[], table: Section) {
  const strs = secs[table.link];
  if (!strs) throw new ElfError('truncated', 'symbol table links to a missing string table');
  if (table.size > MAX_TABLE_BYTES || strs.size > MAX_TABLE_BYTES)
    throw new ElfError('unsupported', 'symbol table too large');
  const ent = table.entsize || 24;
  const t = r.read(table.offset, table.size);
  const s = r.read(strs.offset, strs.size);
  const found: { addr: number; size: number; name: string }[] = [];
  for (let o = 0; o + 24 <= t.length; o += ent) {
    const info = t[o + 4]! & 0xf;
    if (info !== STT_FUNC && info !== STT_GNU_IFUNC) continue;
    const addr = u64(t, o + 8);
    if (addr === 0) continue;
    const nameOff = t.readUInt32LE(o);
    const end = s.indexOf(0, nameOff);
    if (nameOff >= s.length || end < 0) continue;
    found.push({ addr, size: u64(t, o + 16), name: s.toString('utf8', nameOff, end) });
  }
  found.sort((a, b) => a.addr - b.addr);
  const addrs = new Float64Array(found.length);
  const sizes = new Float64Array(found.length);
  const names = found.map((f, i) => {
    addrs[i] = f.addr;
    sizes[i] = f.size;
    return f.name;
  });
  return { addrs, sizes, names };
}

/**
 * Parses what symbolization needs from the ELF file at `path`. With `byBuildId`, a file
 * whose GNU build-id is already there (the same binary in another container or under
 * another path) costs only its headers: the parsed symbols are shared.
 */
export function readElfSymbols(path: string, byBuildId?: ReadonlyMap<string, ElfSymbols>): ElfSymbols {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new ElfError('open', `cannot open ${path}: ${(e as Error).message}`);
  }
  try {
    const r = new Reader(fd);
    if (r.size < 64) throw new ElfError('not_elf', `${path}: too short for an ELF header`);
    const h = r.read(0, 64);
    if (h.readUInt32BE(0) !== 0x7f454c46) throw new ElfError('not_elf', `${path}: no ELF magic`);
    if (h[4] !== 2 || h[5] !== 1) throw new ElfError('unsupported', `${path}: only ELF64 little-endian`);
    const etype = h.readUInt16LE(0x10);
    const secs = sections(r, h);
    const id = buildId(r, secs);
    const known = id ? byBuildId?.get(id) : undefined;
    if (known) return known;
    // .symtab has local functions too; stripped binaries keep only .dynsym
    const table = secs.find((s) => s.type === SHT_SYMTAB) ?? secs.find((s) => s.type === SHT_DYNSYM);
    const syms = table
      ? symbols(r, secs, table)
      : { addrs: new Float64Array(), sizes: new Float64Array(), names: [] };
    return {
      buildId: id,
      type: etype === 2 ? 'exec' : 'dyn',
      segments: segments(r, h),
      ...syms,
    };
  } finally {
    closeSync(fd);
  }
}

/** Virtual address (as in the symbol table) of a file offset, through the PT_LOAD segments. */
export function offsetToVaddr(elf: ElfSymbols, fileOffset: number): number | undefined {
  for (const s of elf.segments) {
    if (fileOffset >= s.offset && fileOffset < s.offset + Math.max(s.filesz, 1))
      return fileOffset - s.offset + s.vaddr;
  }
  return undefined;
}

/** Index of the last entry <= x in a sorted array, or -1. */
export function floorIndex(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** The function containing `vaddr`; symbols without a size cover up to the next one. */
export function lookupSymbol(elf: ElfSymbols, vaddr: number): string | undefined {
  const i = floorIndex(elf.addrs, vaddr);
  if (i < 0) return undefined;
  const size = elf.sizes[i]!;
  if (size > 0 && vaddr >= elf.addrs[i]! + size) return undefined;
  return elf.names[i];
}
