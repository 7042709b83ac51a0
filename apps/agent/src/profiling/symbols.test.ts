/** Symbol sources on real inputs: this machine's ELF binaries and fixtures in their formats. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ElfError, lookupSymbol, offsetToVaddr, readElfSymbols } from './elf';
import { kernelLow48, lookupKernel, parseKallsyms } from './kallsyms';
import { cleanJsName, lookupPerfMap, parsePerfMap } from './perf-map';
import { findMapping, parseProcMaps } from './proc-maps';

describe('ELF symbols', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zs-elf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads function symbols and the build-id of a gcc-built binary', () => {
    const src = join(dir, 'f.c');
    writeFileSync(
      src,
      'int __attribute__((noinline)) zs_named_fn(int x){return x*3;}\nint main(){return zs_named_fn(1);}\n',
    );
    execFileSync('gcc', ['-O1', '-Wl,--build-id', '-o', join(dir, 'f'), src]);
    const elf = readElfSymbols(join(dir, 'f'));
    expect(elf.buildId).toMatch(/^[0-9a-f]{40}$/);
    const i = elf.names.indexOf('zs_named_fn');
    expect(i).toBeGreaterThanOrEqual(0);
    const addr = elf.addrs[i]!;
    expect(lookupSymbol(elf, addr)).toBe('zs_named_fn');
    expect(lookupSymbol(elf, addr + 1)).toBe('zs_named_fn');
    // the build-id cache hands back the already parsed symbols
    const again = readElfSymbols(join(dir, 'f'), new Map([[elf.buildId, elf]]));
    expect(again).toBe(elf);
  });

  it('maps file offsets through PT_LOAD segments', () => {
    const elf = readElfSymbols(process.execPath);
    const text = elf.segments.find((s) => s.filesz > 0 && s.offset > 0) ?? elf.segments[0]!;
    expect(offsetToVaddr(elf, text.offset + 16)).toBe(text.vaddr + 16);
  });

  it('refuses non-ELF and truncated files with an ElfError', () => {
    writeFileSync(
      join(dir, 'not-elf'),
      'hello world, not an ELF file at all; long enough for a header........',
    );
    expect(() => readElfSymbols(join(dir, 'not-elf'))).toThrow(ElfError);
    const head = Buffer.alloc(64);
    head.writeUInt32BE(0x7f454c46, 0);
    head[4] = 2;
    head[5] = 1;
    head.writeBigUInt64LE(1n << 40n, 0x28); // section headers far past the end
    head.writeUInt16LE(64, 0x3a);
    head.writeUInt16LE(3, 0x3c);
    writeFileSync(join(dir, 'trunc'), head);
    expect(() => readElfSymbols(join(dir, 'trunc'))).toThrow(/read past the end/);
    expect(() => readElfSymbols(join(dir, 'missing'))).toThrow(ElfError);
  });
});

describe('kallsyms', () => {
  const k = parseKallsyms(
    [
      'ffffffff81000000 T _stext',
      'ffffffff81001000 t do_one_thing',
      'ffffffff81002000 D some_data',
      'ffffffff81003000 T schedule',
      'ffffffffc0001000 t nf_hook\t[nf_tables]',
      '0000000000000000 T hidden_without_root',
      'garbage',
    ].join('\n'),
  );
  it('keeps text symbols sorted and resolves an address to the symbol below it', () => {
    expect(k.names).toEqual(['_stext', 'do_one_thing', 'schedule', 'nf_hook']);
    const at = (a: bigint) => lookupKernel(k, kernelLow48(a));
    expect(at(0xffffffff81001234n)).toBe('do_one_thing');
    expect(at(0xffffffff81003001n)).toBe('schedule');
    expect(at(0xffffffffc0001010n)).toBe('nf_hook');
    expect(at(0x1000n)).toBeUndefined(); // not kernel text
    expect(at(0xffffffff80000000n)).toBeUndefined(); // below the first symbol
  });
});

describe('perf maps (node --perf-basic-prof)', () => {
  it('resolves JIT addresses, later entries winning, and counts malformed lines', () => {
    const { map, malformed } = parsePerfMap(
      [
        '3a1c0e00 40 Builtin:ArgumentsAdaptorTrampoline',
        '3a1c1000 100 JS:~spinZeroscope file:///x.js:1:10',
        '3a1c1000 80 JS:*spinZeroscope file:///x.js:1:10',
        'zz',
        '3a1c2000 20 LazyCompile: file:///x.js:9:1',
      ].join('\n'),
    );
    expect(malformed).toBe(1);
    expect(cleanJsName(lookupPerfMap(map, 0x3a1c1010)!)).toBe('spinZeroscope file:///x.js:1:10');
    expect(lookupPerfMap(map, 0x3a1c1090)).toBeUndefined(); // past the recompiled size
    expect(cleanJsName(lookupPerfMap(map, 0x3a1c2001)!)).toBe('(anonymous) file:///x.js:9:1');
    expect(lookupPerfMap(map, 0x3a1c0e10)).toBe('Builtin:ArgumentsAdaptorTrampoline');
  });
});

describe('/proc/PID/maps', () => {
  it('finds the mapping and file offset behind an address', () => {
    const maps = parseProcMaps(
      [
        '55d0c0000000-55d0c0001000 r--p 00000000 08:01 1234  /usr/bin/burn',
        '55d0c0001000-55d0c0002000 r-xp 00001000 08:01 1234  /usr/bin/burn',
        '7f0000000000-7f0000100000 rw-p 00000000 00:00 0 ',
        '7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0  [vdso]',
      ].join('\n'),
    );
    const m = findMapping(maps, 0x55d0c0001010)!;
    expect([m.path, m.exec, m.offset, m.inode]).toEqual(['/usr/bin/burn', true, 0x1000, 1234]);
    expect(findMapping(maps, 0x7ffd00000010)?.path).toBe('[vdso]');
    expect(findMapping(maps, 0x10)).toBeUndefined();
  });
});
