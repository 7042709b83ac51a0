/** Typed view of the N-API addon (native/*.c). Only this file touches it directly. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BpfError } from './errors';

export type Handle = number;

export type AttachSpec =
  | { kind: 'auto' }
  | { kind: 'tracepoint'; category: string; name: string }
  | { kind: 'raw_tp'; name: string }
  | { kind: 'uprobe'; path: string; offset: number; pid?: number; retprobe?: boolean }
  | { kind: 'perf_event'; cpu: number; frequency: number }
  | { kind: 'socket'; fd: number };

export interface NativeMapInfo {
  keySize: number;
  valueSize: number;
  maxEntries: number;
  type: number;
  fd: number;
}

export interface NativeLayout {
  size: number;
  fields: [name: string, offset: number, size: number][];
}

export interface Native {
  open(path: string): Handle;
  setGlobal(obj: Handle, name: string, bytes: Buffer): void;
  setAutoload(obj: Handle, prog: string, on: boolean): void;
  /** valueSize 0: the object's */
  setMapSize(obj: Handle, map: string, maxEntries: number, valueSize: number): void;
  load(obj: Handle): void;
  programs(obj: Handle): { name: string; section: string }[];
  layout(obj: Handle, struct: string): NativeLayout;
  numCpus(): number;
  attach(obj: Handle, prog: string, spec: AttachSpec): Handle;
  mapLookup(obj: Handle, map: string, key: Buffer): Buffer | null;
  mapUpdate(obj: Handle, map: string, key: Buffer, value: Buffer, flags?: number): void;
  mapDelete(obj: Handle, map: string, key: Buffer): boolean;
  mapNextKey(obj: Handle, map: string, key: Buffer | null): Buffer | null;
  mapInfo(obj: Handle, map: string): NativeMapInfo;
  /** every (key, value) pair back to back */
  mapDump(obj: Handle, map: string): Buffer;
  /** deletes keys given back to back; returns how many existed */
  mapDeleteMany(obj: Handle, map: string, keys: Buffer): number;
  ringOpen(
    obj: Handle,
    map: string,
    onBatch: (batch: Buffer) => void,
    intervalMs: number,
    perCpuBytes: number,
    lengthAt: number,
    /** the capture's own data rings read beside the kernel's (mdring.c): map names and bytes per CPU; '' and 0 for none */
    ownRingsMap: string,
    ownCtlMap: string,
    ownBytes: number,
  ): Handle;
  ringDrain(ring: Handle, final: boolean): void;
  packetOpen(ifname: string, cbpf: Buffer | null, onBatch: (batch: Buffer) => void, snaplen: number): Handle;
  packetFd(h: Handle): number;
  packetDrain(h: Handle): void;
  close(h: Handle): void;
  takeLog(): string;
}

export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ADDON_PATH = join(PACKAGE_ROOT, 'build/Release/zeroscope_bpf.node');
export const OBJECT_DIR = join(PACKAGE_ROOT, 'dist/bpf');

let cached: Native | undefined;

/** Loads the addon once; a missing build is a BpfError telling how to build it. */
export function native(): Native {
  if (cached) return cached;
  if (!existsSync(ADDON_PATH)) {
    throw new BpfError('addon', 2, `addon not built (${ADDON_PATH}); run: npm run build -w @zeroscope/bpf`);
  }
  const require = createRequire(import.meta.url);
  cached = require(ADDON_PATH) as Native;
  return cached;
}

export function objectPath(name: string): string {
  return join(OBJECT_DIR, `${name}.bpf.o`);
}
