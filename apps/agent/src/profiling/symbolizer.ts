/**
 * Instruction pointers -> function names. User frames: /proc/PID/maps finds the mapped
 * file and offset, the file's ELF symbols (cached by device and inode and by GNU
 * build-id, read through /proc/PID/root so containers resolve) give the function; JIT code resolves through
 * the process's perf map (node --perf-basic-prof). Kernel frames: /proc/kallsyms.
 * Every cache is bounded; per-process state goes when the process does.
 */
import { existsSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseCgroup } from '../discovery/cgroup';
import { type ElfSymbols, lookupSymbol, offsetToVaddr, readElfSymbols } from './elf';
import { type KernelSymbols, loadKallsyms, lookupKernel } from './kallsyms';
import { cleanJsName, lookupPerfMap, type PerfMap, parsePerfMap } from './perf-map';
import { findMapping, type ProcMaps, parseProcMaps } from './proc-maps';

export const NODE_NO_PERF_MAP = '[node: run with --perf-basic-prof]';
export const UNKNOWN_FRAME = '[unknown]';

export interface SymbolizerOptions {
  log?(line: string): void;
  procRoot?: string;
  /** ELF files whose symbols are kept */
  maxFiles?: number;
  /** processes whose maps/perf maps are kept */
  maxProcesses?: number;
  /**
   * Work per interval: new ELF files parsed and new processes read. Past these, frames
   * name their module (`[libfoo.so]`) or stay unknown until a later interval has budget:
   * a burst of new binaries or short-lived processes never stalls the agent's event loop.
   */
  maxElfLoadsPerInterval?: number;
  maxProcLoadsPerInterval?: number;
}

export interface SymbolizerStats {
  elfFiles: number;
  /** files whose symbols came from the build-id cache */
  buildIdHits: number;
  elfErrors: number;
  processes: number;
  mapsReads: number;
  perfMapReads: number;
  perfMapMalformed: number;
  /** lookups deferred to a later interval by the per-interval budget */
  deferred: number;
  /** node processes seen without a perf map (JS frames unresolved) */
  nodeWithoutPerfMap: number;
}

interface Proc {
  maps: ProcMaps;
  /** interval in which maps/perf map were last re-read (at most once per interval) */
  mapsEpoch: number;
  perfEpoch: number;
  perfMap?: PerfMap;
  perfMapPath: string;
  perfMapSize: number;
  isNode: boolean;
  name: string;
  containerId: string;
}

const readText = (p: string): string | undefined => {
  try {
    return readFileSync(p, 'latin1');
  } catch {
    return undefined;
  }
};

export class Symbolizer {
  private readonly log: (line: string) => void;
  private readonly root: string;
  private readonly maxFiles: number;
  private readonly maxProcs: number;
  private readonly files = new Map<string, ElfSymbols | null>();
  /** build-id -> symbols: one parse per distinct binary, whatever its path or inode */
  private readonly byBuildId = new Map<string, ElfSymbols>();
  private readonly procs = new Map<number, Proc>();
  private readonly warnedNode = new Set<number>();
  private kernel?: KernelSymbols;
  private epoch = 0;
  readonly stats: SymbolizerStats = {
    elfFiles: 0,
    buildIdHits: 0,
    elfErrors: 0,
    processes: 0,
    mapsReads: 0,
    perfMapReads: 0,
    perfMapMalformed: 0,
    deferred: 0,
    nodeWithoutPerfMap: 0,
  };
  private readonly elfBudget: number;
  private readonly procBudget: number;
  private elfLoads = 0;
  private procLoads = 0;

  constructor(opts: SymbolizerOptions = {}) {
    this.log = opts.log ?? (() => {});
    this.root = opts.procRoot ?? '/proc';
    this.maxFiles = opts.maxFiles ?? 256;
    this.maxProcs = opts.maxProcesses ?? 2048;
    this.elfBudget = opts.maxElfLoadsPerInterval ?? 24;
    this.procBudget = opts.maxProcLoadsPerInterval ?? 256;
  }

  /** Starts an interval: each process's maps and perf map may be re-read once per interval. */
  beginInterval(): void {
    this.epoch++;
    // the first interval meets every running binary at once: it gets a warm-up allowance
    const warm = this.epoch === 1 ? 4 : 1;
    this.elfLoads = this.elfBudget - this.elfBudget * warm;
    this.procLoads = this.procBudget - this.procBudget * warm;
  }

  /** Drops state of processes not in `alive` (pids seen in the last interval). */
  retain(alive: ReadonlySet<number>): void {
    for (const pid of this.procs.keys()) {
      if (!alive.has(pid) && !existsSync(`${this.root}/${pid}`)) this.procs.delete(pid);
    }
    for (const pid of this.warnedNode) if (!this.procs.has(pid)) this.warnedNode.delete(pid);
    this.stats.processes = this.procs.size;
  }

  processName(tgid: number, fallback: string): string {
    return this.proc(tgid)?.name || fallback;
  }

  containerId(tgid: number): string {
    return this.proc(tgid)?.containerId ?? '';
  }

  /** Frames of a user stack, innermost first (as the kernel records them). */
  userFrames(tgid: number, ips: readonly number[]): string[] {
    const p = this.proc(tgid);
    const out: string[] = [];
    for (let i = 0; i < ips.length; i++) {
      // callers' entries are return addresses: the call is the byte before (a call that
      // never returns is often the last instruction of its function)
      const ip = i === 0 ? ips[i]! : ips[i]! - 1;
      const f = p ? this.userFrame(tgid, p, ip) : UNKNOWN_FRAME;
      // runs of unresolved JIT frames say the same thing once
      if (f.startsWith('[') && out[out.length - 1] === f) continue;
      out.push(f);
    }
    return out;
  }

  /** Frames of a kernel stack (low 48 bits of each address), innermost first, marked `_[k]`. */
  kernelFrames(ips: readonly number[]): string[] {
    this.kernel ??= loadKallsyms(`${this.root}/kallsyms`);
    const k = this.kernel;
    return ips.map((ip, i) => `${lookupKernel(k, i === 0 || ip < 0 ? ip : ip - 1) ?? 'unknown'}_[k]`);
  }

  private proc(tgid: number): Proc | undefined {
    const have = this.procs.get(tgid);
    if (have) return have;
    if (this.procLoads >= this.procBudget) {
      this.stats.deferred++;
      return undefined;
    }
    this.procLoads++;
    const text = readText(`${this.root}/${tgid}/maps`);
    if (text === undefined) return undefined;
    this.stats.mapsReads++;
    if (this.procs.size >= this.maxProcs) this.procs.delete(this.procs.keys().next().value!);
    const name = (readText(`${this.root}/${tgid}/comm`) ?? '').trim();
    let exe = '';
    try {
      exe = readlinkSync(`${this.root}/${tgid}/exe`);
    } catch {}
    const status = readText(`${this.root}/${tgid}/status`) ?? '';
    // the process writes perf-<its own pid>.map in its own /tmp: innermost NSpid
    const nspid = /^NSpid:\s+(.*)$/m.exec(status)?.[1]?.trim().split(/\s+/).pop() ?? String(tgid);
    const cgroup = readText(`${this.root}/${tgid}/cgroup`);
    const p: Proc = {
      maps: parseProcMaps(text),
      mapsEpoch: this.epoch,
      perfEpoch: -1,
      perfMapPath: `${this.root}/${tgid}/root/tmp/perf-${nspid}.map`,
      perfMapSize: -1,
      isNode: basename(exe.replace(/ \(deleted\)$/, '')) === 'node' || name === 'node',
      name,
      containerId: cgroup ? parseCgroup(cgroup).containerId : '',
    };
    this.procs.set(tgid, p);
    this.stats.processes = this.procs.size;
    return p;
  }

  private userFrame(tgid: number, p: Proc, ip: number): string {
    let m = findMapping(p.maps, ip);
    if (!m && p.mapsEpoch !== this.epoch) {
      const text = readText(`${this.root}/${tgid}/maps`);
      p.mapsEpoch = this.epoch;
      if (text !== undefined) {
        this.stats.mapsReads++;
        p.maps = parseProcMaps(text);
        m = findMapping(p.maps, ip);
      }
    }
    // memfd mappings (`/memfd:name`) have no file to read: JIT code, resolved below
    if (m?.path.startsWith('/') && m.inode !== 0 && !m.path.startsWith('/memfd:')) {
      const elf = this.elf(tgid, m.dev, m.inode, m.path);
      const vaddr = elf ? offsetToVaddr(elf, ip - m.start + m.offset) : undefined;
      const sym = elf && vaddr !== undefined ? lookupSymbol(elf, vaddr) : undefined;
      return sym ?? `[${basename(m.path)}]`;
    }
    if (m?.path.startsWith('[') && !m.path.startsWith('[anon')) return m.path;
    const js = this.perfMapLookup(p, ip);
    if (js) return js;
    if (p.isNode && !p.perfMap) {
      if (!this.warnedNode.has(tgid)) {
        this.warnedNode.add(tgid);
        this.stats.nodeWithoutPerfMap++;
        // named for the first few; a host full of node processes gets a count, not a flood
        if (this.stats.nodeWithoutPerfMap <= 3)
          this.log(
            `profiling: node pid ${tgid} has no ${p.perfMapPath}; JS frames stay unresolved (run node with --perf-basic-prof)`,
          );
        else if (this.stats.nodeWithoutPerfMap === 4)
          this.log('profiling: more node processes without --perf-basic-prof (counted in stats, not logged)');
      }
      return NODE_NO_PERF_MAP;
    }
    return UNKNOWN_FRAME;
  }

  private perfMapLookup(p: Proc, ip: number): string | undefined {
    const hit = p.perfMap ? lookupPerfMap(p.perfMap, ip) : undefined;
    if (hit) return cleanJsName(hit);
    if (p.perfEpoch === this.epoch) return undefined;
    p.perfEpoch = this.epoch;
    let size: number;
    try {
      size = statSync(p.perfMapPath).size;
    } catch {
      return undefined;
    }
    if (size === p.perfMapSize) return undefined;
    const text = readText(p.perfMapPath);
    if (text === undefined) return undefined;
    this.stats.perfMapReads++;
    const parsed = parsePerfMap(text);
    this.stats.perfMapMalformed += parsed.malformed;
    p.perfMap = parsed.map;
    p.perfMapSize = size;
    const again = lookupPerfMap(p.perfMap, ip);
    return again ? cleanJsName(again) : undefined;
  }

  private elf(tgid: number, dev: string, inode: number, path: string): ElfSymbols | null {
    const key = `${dev}:${inode}`;
    const have = this.files.get(key);
    if (have !== undefined) return have;
    if (this.elfLoads >= this.elfBudget) {
      this.stats.deferred++;
      return null;
    }
    this.elfLoads++;
    let elf: ElfSymbols | null = null;
    try {
      elf = readElfSymbols(`${this.root}/${tgid}/root${path}`, this.byBuildId);
      if (elf.buildId && this.byBuildId.get(elf.buildId) === elf) this.stats.buildIdHits++;
      else {
        this.stats.elfFiles++;
        if (elf.buildId) {
          if (this.byBuildId.size >= this.maxFiles)
            this.byBuildId.delete(this.byBuildId.keys().next().value!);
          this.byBuildId.set(elf.buildId, elf);
        }
      }
    } catch (e) {
      this.stats.elfErrors++;
      if (this.stats.elfErrors <= 5) this.log(`profiling: no symbols for ${path}: ${(e as Error).message}`);
    }
    if (this.files.size >= this.maxFiles) this.files.delete(this.files.keys().next().value!);
    this.files.set(key, elf);
    return elf;
  }
}
