/**
 * Listening TCP sockets from /proc/<pid>/net/tcp{,6} (one table per network namespace)
 * and which processes hold them, through the socket inodes in /proc/<pid>/fd.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { ListenSocket } from '@zeroscope/wire/resources';
import { readLink } from './procfs';

const TCP_LISTEN = '0A';
const LITTLE = os.endianness() === 'LE';

/** Each 32-bit word of the address is printed in host byte order. */
function hexWordBytes(hex: string): number[] {
  const out: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    const bytes = [0, 2, 4, 6].map((i) => Number.parseInt(hex.slice(w + i, w + i + 2), 16));
    out.push(...(LITTLE ? bytes.reverse() : bytes));
  }
  return out;
}

export function decodeProcAddress(hex: string): string {
  const b = hexWordBytes(hex);
  if (b.length === 4) return b.join('.');
  if (b.length !== 16) return '';
  if (b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff)
    return `::ffff:${b.slice(12).join('.')}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  // Compress the longest run of zero groups (RFC 5952).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** Listening sockets of one /proc/net/tcp or tcp6 table, by socket inode. */
export function parseListening(text: string, proto: 'tcp' | 'tcp6'): Map<number, ListenSocket> {
  const out = new Map<number, ListenSocket>();
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i]!.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== TCP_LISTEN) continue;
    const [addr, port] = f[1]!.split(':');
    const inode = Number(f[9]);
    if (!addr || !port || !inode) continue;
    out.set(inode, { proto, ip: decodeProcAddress(addr), port: Number.parseInt(port, 16) });
  }
  return out;
}

const chunk = Buffer.allocUnsafe(16 * 1024);
const MAX_TABLE = 4 * 1024 * 1024;

/** True once a complete row (after the header) has a state other than LISTEN. */
function pastListeners(text: string, from: number): boolean {
  const end = text.lastIndexOf('\n');
  for (const row of text.slice(from, end + 1).split('\n')) {
    const f = row.trim().split(/\s+/);
    if (f.length > 3 && f[0] !== 'sl' && f[3] !== TCP_LISTEN) return true;
  }
  return false;
}

/**
 * The kernel prints the listening hash before the established one (tcp_seq_start walks
 * TCP_SEQ_STATE_LISTENING first), so reading stops at the first row in another state.
 * Reading the whole file walks every ehash bucket: ~20x slower here with 270 sockets.
 */
export function readListenRows(path: string): string {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch {
    return '';
  }
  let text = '';
  try {
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      const from = text.lastIndexOf('\n') + 1;
      text += chunk.toString('latin1', 0, n);
      if (pastListeners(text, from) || text.length > MAX_TABLE) break;
    }
  } catch {
  } finally {
    fs.closeSync(fd);
  }
  return text;
}

/** Listening sockets of the network namespace `pid` lives in. */
export function readNetnsListening(procRoot: string, pid: number): Map<number, ListenSocket> {
  const v4 = parseListening(readListenRows(`${procRoot}/${pid}/net/tcp`), 'tcp');
  for (const [inode, s] of parseListening(readListenRows(`${procRoot}/${pid}/net/tcp6`), 'tcp6'))
    v4.set(inode, s);
  return v4;
}

const MAX_FDS = 4096;

/** Socket inodes among the process's open fds that are in `wanted` (first MAX_FDS fds). */
export function heldSockets(procRoot: string, pid: number, wanted: ReadonlyMap<number, unknown>): number[] {
  let fds: string[];
  try {
    fds = fs.readdirSync(`${procRoot}/${pid}/fd`);
  } catch {
    return [];
  }
  const held: number[] = [];
  const n = Math.min(fds.length, MAX_FDS);
  for (let i = 0; i < n; i++) {
    const l = readLink(`${procRoot}/${pid}/fd/${fds[i]}`);
    if (!l.startsWith('socket:[')) continue;
    const inode = Number(l.slice(8, -1));
    if (wanted.has(inode)) held.push(inode);
  }
  return held;
}
