/**
 * Attaches the SSL_read/SSL_write uprobes to every binary that exports them: the system
 * libssl.so.3 and node at start, then executables and libraries of processes as they
 * start (exec events). Uprobes are per inode, so one attachment covers every process
 * mapping that file; inodes are deduplicated.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { symbolOffsets } from '../elf';
import { BpfError } from '../errors';
import type { BpfObject, Link } from '../object';

export const DEFAULT_TLS_TARGETS = [
  '/usr/lib/x86_64-linux-gnu/libssl.so.3',
  '/lib/x86_64-linux-gnu/libssl.so.3',
  '/usr/bin/node',
];

const SYMBOLS = ['SSL_write', 'SSL_read'];

export interface TlsTarget {
  path: string;
  ok: boolean;
  reason?: string;
}

export class TlsAttacher {
  private readonly seen = new Set<string>();
  private readonly links: Link[] = [];
  readonly targets: TlsTarget[] = [];

  constructor(
    private readonly obj: BpfObject,
    private readonly log: (line: string) => void,
  ) {}

  /** Attaches to `path` once per inode; files without the symbols are skipped quietly. */
  attach(path: string): TlsTarget | undefined {
    let real: string;
    let key: string;
    try {
      real = realpathSync(path);
      const st = statSync(real);
      key = `${st.dev}:${st.ino}`;
    } catch {
      return undefined;
    }
    if (this.seen.has(key)) return undefined;
    this.seen.add(key);
    const offs = symbolOffsets(real, SYMBOLS);
    const write = offs.get('SSL_write');
    const read = offs.get('SSL_read');
    if (write === undefined || read === undefined) return undefined;
    const target: TlsTarget = { path: real, ok: true };
    try {
      this.links.push(this.obj.attach('ssl_write_enter', { kind: 'uprobe', path: real, offset: write }));
      this.links.push(
        this.obj.attach('ssl_write_exit', { kind: 'uprobe', path: real, offset: write, retprobe: true }),
      );
      this.links.push(this.obj.attach('ssl_read_enter', { kind: 'uprobe', path: real, offset: read }));
      this.links.push(
        this.obj.attach('ssl_read_exit', { kind: 'uprobe', path: real, offset: read, retprobe: true }),
      );
      this.log(`tls: uprobes on ${real}`);
    } catch (e) {
      target.ok = false;
      target.reason = BpfError.from('attach', e).message;
      this.log(`tls: cannot attach to ${real}: ${target.reason}`);
    }
    this.targets.push(target);
    return target;
  }

  attachDefaults(extra: string[] = []): void {
    for (const p of [...DEFAULT_TLS_TARGETS, process.execPath, ...extra]) if (existsSync(p)) this.attach(p);
  }

  /** A process started: its executable now, its TLS libraries once the loader mapped them. */
  onExec(pid: number): void {
    try {
      this.attach(`/proc/${pid}/exe`);
    } catch {}
    setTimeout(() => this.scanMaps(pid), 200).unref();
  }

  scanMaps(pid: number): void {
    let maps: string;
    try {
      maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
    } catch {
      return; // the process already exited
    }
    const libs = new Set<string>();
    for (const line of maps.split('\n')) {
      const path = line.slice(line.indexOf('/'));
      if (line.includes('/') && /libssl\.so/.test(path)) libs.add(path.trim());
    }
    for (const lib of libs) this.attach(`/proc/${pid}/root${lib}`);
  }

  detachAll(): void {
    for (const l of this.links.splice(0)) l.detach();
  }
}
