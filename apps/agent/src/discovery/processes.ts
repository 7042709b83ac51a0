/**
 * Incremental /proc scan. Each tick reads only /proc/<pid>/stat of every pid; a process is
 * parsed fully (cmdline, environ, exe, cgroup, netns) only when its (pid, start time) is new
 * or on a full rescan, and its fds are walked only when it is new, on a full rescan, or when
 * the set of listening sockets in its network namespace changed. Kernel threads are skipped.
 */
import type { ListenSocket, ProcessInfo } from '@zeroscope/wire/resources';
import { RESOURCE_LIMITS } from '@zeroscope/wire/resources';
import { parseCgroup } from './cgroup';
import { type EnvFilter, envFilter, selectEnv } from './env';
import {
  bootTimeUs,
  clockTicks,
  listPids,
  ownerUid,
  parseStat,
  readCmdline,
  readHead,
  readLink,
  readText,
} from './procfs';
import { heldSockets, readNetnsListening } from './sockets';

export interface ScannerOptions {
  procRoot?: string;
  env?: EnvFilter;
  /** processes tracked at most; the rest are skipped and counted */
  maxProcesses?: number;
  /**
   * Listening tables are re-read at least this often (default 15 s), and at once in a
   * namespace where a new process appeared. /proc/net/tcp6 without established rows is
   * read to its end, which walks every bucket of the kernel's TCP hash: ~10 ms here.
   */
  listenEveryMs?: number;
}

interface Entry {
  info: ProcessInfo;
  netns: string;
  sockets: number[];
}

export interface ScanStats {
  scans: number;
  parsed: number;
  fdScans: number;
  skipped: number;
  tableReads: number;
}

const sameSet = (a: ReadonlyMap<number, unknown> | undefined, b: ReadonlyMap<number, unknown>) =>
  a !== undefined && a.size === b.size && [...b.keys()].every((k) => a.has(k));

export class ProcessScanner {
  readonly stats: ScanStats = { scans: 0, parsed: 0, fdScans: 0, skipped: 0, tableReads: 0 };
  private readonly root: string;
  private readonly env: EnvFilter;
  private readonly max: number;
  private readonly entries = new Map<number, Entry>();
  private listening = new Map<string, { table: Map<number, ListenSocket>; at: number }>();
  private readonly listenEveryMs: number;
  private readonly bootUs: number;
  private readonly usPerTick: number;

  constructor(opts: ScannerOptions = {}) {
    this.root = opts.procRoot ?? '/proc';
    this.env = opts.env ?? envFilter();
    this.max = opts.maxProcesses ?? 20_000;
    this.listenEveryMs = opts.listenEveryMs ?? 15_000;
    this.bootUs = bootTimeUs(this.root);
    this.usPerTick = 1_000_000 / clockTicks();
  }

  /** Updates the process table; `full` re-reads every process. Returns the current list. */
  scan(full = false): ProcessInfo[] {
    this.stats.scans++;
    const live = new Set<number>();
    const fdScan = new Set<number>();
    for (const pid of listPids(this.root)) {
      const st = parseStat(readText(`${this.root}/${pid}/stat`) ?? '');
      if (!st || st.kernelThread) continue;
      const startTime = this.bootUs + Math.round(st.startTicks * this.usPerTick);
      const old = this.entries.get(pid);
      if (old && old.info.startTime === startTime && !full) {
        old.info.ppid = st.ppid;
        old.info.comm = st.comm;
        live.add(pid);
        continue;
      }
      if (!old && this.entries.size >= this.max) {
        this.stats.skipped++;
        continue;
      }
      const e = this.parse(pid, st.ppid, st.comm, startTime);
      if (!e) continue;
      if (old && old.info.startTime === startTime) e.sockets = old.sockets;
      this.entries.set(pid, e);
      live.add(pid);
      fdScan.add(pid);
    }
    for (const pid of this.entries.keys()) if (!live.has(pid)) this.entries.delete(pid);
    this.refreshSockets(fdScan, full);
    return [...this.entries.values()].map((e) => e.info);
  }

  lookup(pid: number): ProcessInfo | undefined {
    return this.entries.get(pid)?.info;
  }

  private parse(pid: number, ppid: number, comm: string, startTime: number): Entry | undefined {
    const dir = `${this.root}/${pid}`;
    const cgroupText = readText(`${dir}/cgroup`);
    if (cgroupText === undefined) return undefined; // exited meanwhile
    this.stats.parsed++;
    const cg = parseCgroup(cgroupText);
    const environ = readHead(`${dir}/environ`, 256 * 1024);
    return {
      info: {
        pid,
        ppid,
        startTime,
        comm,
        cmdline: readCmdline(this.root, pid, RESOURCE_LIMITS.cmdline),
        exe: readLink(`${dir}/exe`).slice(0, RESOURCE_LIMITS.string),
        uid: ownerUid(this.root, pid),
        cgroup: cg.path.slice(0, RESOURCE_LIMITS.string),
        containerId: cg.containerId,
        podUid: cg.podUid,
        env: environ ? selectEnv(environ, this.env) : {},
        listen: [],
      },
      netns: readLink(`${dir}/ns/net`),
      sockets: [],
    };
  }

  private refreshSockets(fdScan: Set<number>, full: boolean): void {
    const byNetns = new Map<string, number[]>();
    for (const [pid, e] of this.entries) {
      const list = byNetns.get(e.netns);
      if (list) list.push(pid);
      else byNetns.set(e.netns, [pid]);
    }
    const now = Date.now();
    const next = new Map<string, { table: Map<number, ListenSocket>; at: number }>();
    for (const [netns, pids] of byNetns) {
      const old = this.listening.get(netns);
      const due = full || !old || now - old.at >= this.listenEveryMs || pids.some((p) => fdScan.has(p));
      if (!due) {
        next.set(netns, old);
        for (const pid of pids) {
          const e = this.entries.get(pid)!;
          e.info.listen = listenOf(e.sockets, old.table);
        }
        continue;
      }
      this.stats.tableReads++;
      const table = readNetnsListening(this.root, pids[0]!);
      next.set(netns, { table, at: now });
      const changed = full || !sameSet(old?.table, table);
      for (const pid of pids) {
        const e = this.entries.get(pid)!;
        if (changed || fdScan.has(pid)) {
          this.stats.fdScans++;
          e.sockets = heldSockets(this.root, pid, table);
        }
        e.info.listen = listenOf(e.sockets, table);
      }
    }
    this.listening = next;
  }
}

function listenOf(inodes: readonly number[], table: ReadonlyMap<number, ListenSocket>): ListenSocket[] {
  const out: ListenSocket[] = [];
  for (const i of inodes) {
    const s = table.get(i);
    if (s) out.push(s);
  }
  out.sort((a, b) => a.port - b.port || a.proto.localeCompare(b.proto) || a.ip.localeCompare(b.ip));
  return out.slice(0, RESOURCE_LIMITS.arrayEntries);
}
