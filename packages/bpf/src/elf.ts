/** Finds a function symbol's file offset in an ELF64 binary (for uprobes), reading only
 * the headers and symbol tables (node is ~100 MB). */
import { closeSync, openSync, readSync } from 'node:fs';

const SHT_SYMTAB = 2;
const SHT_DYNSYM = 11;
const PT_LOAD = 1;
const STT_FUNC = 2;

function readAt(fd: number, offset: number, length: number): Buffer {
  const b = Buffer.alloc(length);
  const n = readSync(fd, b, 0, length, offset);
  return b.subarray(0, n);
}

/** Returns {symbol: file offset} for the names found; missing names are absent. */
export function symbolOffsets(path: string, names: string[]): Map<string, number> {
  const found = new Map<string, number>();
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return found;
  }
  try {
    const eh = readAt(fd, 0, 64);
    if (eh.length < 64 || eh.readUInt32BE(0) !== 0x7f454c46 || eh[4] !== 2 || eh[5] !== 1) return found;
    const phoff = Number(eh.readBigUInt64LE(0x20));
    const shoff = Number(eh.readBigUInt64LE(0x28));
    const phnum = eh.readUInt16LE(0x38);
    const shnum = eh.readUInt16LE(0x3c);
    const ph = readAt(fd, phoff, phnum * 56);
    const sh = readAt(fd, shoff, shnum * 64);
    const loads: { vaddr: number; offset: number; size: number }[] = [];
    for (let i = 0; i + 56 <= ph.length; i += 56) {
      if (ph.readUInt32LE(i) !== PT_LOAD) continue;
      loads.push({
        offset: Number(ph.readBigUInt64LE(i + 8)),
        vaddr: Number(ph.readBigUInt64LE(i + 16)),
        size: Number(ph.readBigUInt64LE(i + 40)),
      });
    }
    const wanted = new Set(names);
    for (const type of [SHT_DYNSYM, SHT_SYMTAB]) {
      for (let i = 0; i + 64 <= sh.length; i += 64) {
        if (sh.readUInt32LE(i + 4) !== type) continue;
        const symOff = Number(sh.readBigUInt64LE(i + 24));
        const symSize = Number(sh.readBigUInt64LE(i + 32));
        const link = sh.readUInt32LE(i + 40);
        const strOff = Number(sh.readBigUInt64LE(link * 64 + 24));
        const strSize = Number(sh.readBigUInt64LE(link * 64 + 32));
        const syms = readAt(fd, symOff, symSize);
        const strs = readAt(fd, strOff, strSize);
        for (let s = 0; s + 24 <= syms.length; s += 24) {
          // defined functions only: imports (section index 0) may carry a PLT address
          if (((syms[s + 4] ?? 0) & 0xf) !== STT_FUNC || syms.readUInt16LE(s + 6) === 0) continue;
          const value = Number(syms.readBigUInt64LE(s + 8));
          if (!value) continue;
          const nameOff = syms.readUInt32LE(s);
          const end = strs.indexOf(0, nameOff);
          const name = strs.toString('latin1', nameOff, end < 0 ? strs.length : end);
          if (!wanted.has(name) || found.has(name)) continue;
          const seg = loads.find((l) => value >= l.vaddr && value < l.vaddr + l.size);
          if (seg) found.set(name, value - seg.vaddr + seg.offset);
        }
      }
      if (found.size === wanted.size) break;
    }
    return found;
  } finally {
    closeSync(fd);
  }
}
