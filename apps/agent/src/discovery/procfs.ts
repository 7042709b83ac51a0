/**
 * Readers for one /proc/<pid> entry. Every read may race with the process exiting, so each
 * returns undefined (or '') instead of throwing. Reads of unbounded files (cmdline, environ)
 * stop at a fixed size.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** PF_KTHREAD in include/linux/sched.h: set in stat's flags field for kernel threads. */
const PF_KTHREAD = 0x00200000;

export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** clock ticks after boot (field 22 of proc_pid_stat(5)) */
  startTicks: number;
  kernelThread: boolean;
}

/** Parses /proc/<pid>/stat; comm may itself hold spaces and parentheses. */
export function parseStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const rest = text.slice(close + 2).split(' ');
  const pid = Number(text.slice(0, open).trim());
  const ppid = Number(rest[1]);
  const flags = Number(rest[6]);
  const startTicks = Number(rest[19]);
  if (
    !Number.isInteger(pid) ||
    !Number.isInteger(ppid) ||
    !Number.isFinite(flags) ||
    !Number.isFinite(startTicks)
  )
    return undefined;
  return {
    pid,
    comm: text.slice(open + 1, close),
    ppid,
    startTicks,
    kernelThread: (flags & PF_KTHREAD) !== 0 || pid === 2 || ppid === 2,
  };
}

export function readText(path: string): string | undefined {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

const scratch = Buffer.allocUnsafe(256 * 1024);

/** Reads at most `max` bytes from the start of a file (proc files report size 0). */
export function readHead(path: string, max: number): Buffer | undefined {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const limit = Math.min(max, scratch.length);
    let n = 0;
    while (n < limit) {
      const r = fs.readSync(fd, scratch, n, limit - n, null);
      if (r === 0) break;
      n += r;
    }
    return Buffer.from(scratch.subarray(0, n));
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

export function readLink(path: string): string {
  try {
    return fs.readlinkSync(path);
  } catch {
    return '';
  }
}

/** NUL-separated argv -> one line, bounded. */
export function readCmdline(procRoot: string, pid: number, max: number): string {
  const b = readHead(`${procRoot}/${pid}/cmdline`, max);
  if (!b) return '';
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  return b.subarray(0, end).toString('utf8').replaceAll('\0', ' ').slice(0, max);
}

export function ownerUid(procRoot: string, pid: number): number {
  try {
    return fs.statSync(`${procRoot}/${pid}`).uid;
  } catch {
    return 0;
  }
}

/** Boot time in µs since the epoch (`btime` of /proc/stat, whole seconds). */
export function bootTimeUs(procRoot = '/proc'): number {
  const m = /^btime (\d+)$/m.exec(readText(`${procRoot}/stat`) ?? '');
  return m ? Number(m[1]) * 1_000_000 : 0;
}

let clkTck: number | undefined;
/** sysconf(_SC_CLK_TCK); 100 on every mainstream Linux port when getconf is missing. */
export function clockTicks(): number {
  if (clkTck === undefined) {
    try {
      clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

export function listPids(procRoot: string): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(procRoot);
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const n of names) {
    const c = n.charCodeAt(0);
    if (c >= 48 && c <= 57) pids.push(Number(n));
  }
  return pids;
}
