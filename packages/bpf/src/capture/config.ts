/** Writes capture options into the object's `const volatile` config (capture.h). */
import { BpfError } from '../errors';
import { native } from '../native';
import type { BpfObject } from '../object';

export const MAX_FILTER = 8;
export const MAX_COMMS = 4;
export const MAX_PAYLOAD = 4096;

export interface CaptureConfig {
  /** pid never captured (the agent itself); default: this process */
  selfPid?: number;
  /** bytes of payload copied per message; default 1024, at most 4096 */
  payloadSize?: number;
  /** capture only these processes (at most 8) */
  pids?: number[];
  /** never capture these processes (at most 8) */
  excludePids?: number[];
  /** capture only connections with one of these ports on either end (at most 8) */
  ports?: number[];
  /** capture only processes with these comm names (at most 4, 15 chars) */
  comms?: string[];
  /** copy only bytes that look like a known L7 protocol; default true */
  infer?: boolean;
  /** TLS plaintext through uprobes; default true */
  tls?: boolean;
  /** wake the reader once per this many bytes written to a CPU's ring; default 256 KiB */
  wakeupBytes?: number;
  /** socket data in rings of our own (src/bpf/dring.h) rather than the kernel's; default true */
  ownRings?: boolean;
}

function u32Array(values: number[], n: number): Buffer {
  const b = Buffer.alloc(4 * n);
  values.forEach((v, i) => {
    b.writeUInt32LE(v >>> 0, i * 4);
  });
  return b;
}

function limit<T>(what: string, values: T[] | undefined, max: number): T[] {
  const v = values ?? [];
  if (v.length > max)
    throw new BpfError('config', 22, `at most ${max} ${what} can be filtered in the kernel`);
  return v;
}

export function applyConfig(obj: BpfObject, cfg: CaptureConfig): void {
  const payload = cfg.payloadSize ?? 1024;
  if (!Number.isInteger(payload) || payload < 0 || payload > MAX_PAYLOAD) {
    throw new BpfError('config', 22, `payloadSize must be 0..${MAX_PAYLOAD}`);
  }
  const pids = limit('pids', cfg.pids, MAX_FILTER);
  const excl = limit('excluded pids', cfg.excludePids, MAX_FILTER);
  const ports = limit('ports', cfg.ports, MAX_FILTER);
  const comms = limit('comms', cfg.comms, MAX_COMMS);
  obj.setU32('cfg_self_pid', cfg.selfPid ?? process.pid);
  obj.setU32('cfg_payload_size', payload);
  obj.setU32('cfg_npids', pids.length);
  obj.setGlobal('cfg_pids', u32Array(pids, MAX_FILTER));
  obj.setU32('cfg_nexclude', excl.length);
  obj.setGlobal('cfg_exclude', u32Array(excl, MAX_FILTER));
  obj.setU32('cfg_nports', ports.length);
  const pb = Buffer.alloc(2 * MAX_FILTER);
  ports.forEach((p, i) => {
    pb.writeUInt16LE(p, i * 2);
  });
  obj.setGlobal('cfg_ports', pb);
  obj.setU32('cfg_ncomms', comms.length);
  const cb = Buffer.alloc(16 * MAX_COMMS);
  comms.forEach((c, i) => {
    cb.write(c.slice(0, 15), i * 16, 'latin1');
  });
  obj.setGlobal('cfg_comms', cb);
  obj.setU8('cfg_infer', cfg.infer === false ? 0 : 1);
  obj.setU8('cfg_tls', cfg.tls === false ? 0 : 1);
  obj.setU64('cfg_wakeup_bytes', cfg.wakeupBytes ?? 256 * 1024);
}

/**
 * Sizes the socket-data rings of our own (src/bpf/dring.h): one of `bytes` per CPU (a
 * power of two) with room for one record after it. Returns `bytes`, or 0 when they are
 * off and socket data goes to the kernel rings.
 */
export function applyOwnRings(obj: BpfObject, cfg: CaptureConfig, bytes: number): number {
  if (cfg.ownRings === false) return 0;
  const room = (obj.layout('zs_data_event').size + (cfg.payloadSize ?? 1024) + 7) & ~7;
  const cpus = native().numCpus();
  obj.setMapSize('dring_ctl', cpus);
  obj.setMapSize('data_rings', cpus, bytes + room);
  obj.setU32('cfg_dring_bytes', bytes);
  return bytes;
}
