/**
 * Feature probing at start: each hook type is loaded and attached once with a trivial
 * program. The result tells which capture parts can run and, when not, exactly why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { symbolOffsets } from './elf';
import { BpfError } from './errors';
import { native, objectPath } from './native';
import { BpfObject } from './object';
import { openPacketSocket } from './packet';

export interface Feature {
  enabled: boolean;
  reason?: string;
}

export type HookType =
  | 'tp_btf'
  | 'raw_tp'
  | 'tracepoint'
  | 'fentry'
  | 'kprobe'
  | 'uprobe'
  | 'perf_event'
  | 'socket_filter';

/** `btf_cast`: the bpf_rdonly_cast kfunc (kernel 6.2+), which the capture's tp_btf programs use */
export type FeatureReport = Record<HookType | 'bpf' | 'btf' | 'btf_cast', Feature>;

const TRACEFS = '/sys/kernel/tracing';

function privilegeHint(): string {
  const uid = process.getuid?.() ?? -1;
  let unpriv = '';
  try {
    unpriv = readFileSync('/proc/sys/kernel/unprivileged_bpf_disabled', 'utf8').trim();
  } catch {}
  return uid === 0
    ? 'running as root but the kernel refused (lockdown or seccomp?)'
    : `not root (uid ${uid}): needs root, or CAP_BPF + CAP_PERFMON (+ CAP_SYS_ADMIN for uprobes, CAP_NET_RAW for packets); kernel.unprivileged_bpf_disabled=${unpriv || '?'}`;
}

function reason(e: unknown): string {
  const err = BpfError.from('probe', e);
  if (err.errno === 1 || err.errno === 13) return `${privilegeHint()} (${err.message.split('\n')[0]})`;
  if (err.errno === 524 || err.errno === 95)
    return `not supported by this kernel (${err.message.split('\n')[0]})`;
  return err.message.split('\n')[0] ?? err.message;
}

function tryHook(prog: string, attach: (obj: BpfObject) => void): Feature {
  let obj: BpfObject | undefined;
  try {
    obj = BpfObject.open(objectPath('probe'));
    for (const p of obj.programs()) obj.setAutoload(p.name, p.name === prog);
    obj.load();
    attach(obj);
    return { enabled: true };
  } catch (e) {
    return { enabled: false, reason: reason(e) };
  } finally {
    obj?.dispose();
  }
}

let cached: FeatureReport | undefined;

/** Probes once per process (about 10 small loads); later calls return the same report. */
export function probeFeatures(): FeatureReport {
  if (cached) return cached;
  const off: Feature = { enabled: false };
  const report = {} as FeatureReport;
  try {
    native();
  } catch (e) {
    const f = { enabled: false, reason: reason(e) };
    cached = Object.fromEntries(
      [
        'bpf',
        'btf',
        'tp_btf',
        'btf_cast',
        'raw_tp',
        'tracepoint',
        'fentry',
        'kprobe',
        'uprobe',
        'perf_event',
        'socket_filter',
      ].map((k) => [k, f]),
    ) as FeatureReport;
    return cached;
  }
  report.btf = existsSync('/sys/kernel/btf/vmlinux')
    ? { enabled: true }
    : { enabled: false, reason: 'no /sys/kernel/btf/vmlinux (kernel built without CONFIG_DEBUG_INFO_BTF)' };
  report.raw_tp = tryHook('probe_raw_tp', (o) => o.attach('probe_raw_tp'));
  report.bpf = report.raw_tp.enabled ? { enabled: true } : { ...report.raw_tp };
  if (!report.bpf.enabled) {
    for (const k of [
      'tp_btf',
      'btf_cast',
      'tracepoint',
      'fentry',
      'kprobe',
      'uprobe',
      'perf_event',
      'socket_filter',
    ] as const) {
      report[k] = { enabled: false, reason: report.bpf.reason ?? 'BPF unavailable' };
    }
    cached = report;
    return report;
  }
  report.tp_btf = report.btf.enabled
    ? tryHook('probe_tp_btf', (o) => o.attach('probe_tp_btf'))
    : { ...off, reason: report.btf.reason };
  report.btf_cast = report.tp_btf.enabled
    ? tryHook('probe_btf_cast', (o) => o.attach('probe_btf_cast'))
    : { ...off, reason: report.tp_btf.reason };
  report.tracepoint = existsSync(`${TRACEFS}/events`)
    ? tryHook('probe_tracepoint', (o) => o.attach('probe_tracepoint'))
    : { enabled: false, reason: `tracefs not mounted (mount -t tracefs nodev ${TRACEFS})` };
  report.fentry = tryHook('probe_fentry', (o) => o.attach('probe_fentry'));
  report.kprobe = tryHook('probe_kprobe', (o) => o.attach('probe_kprobe'));
  const sym = symbolOffsets(process.execPath, ['uv_version']).get('uv_version');
  report.uprobe =
    sym === undefined
      ? { enabled: false, reason: `no symbol to probe in ${process.execPath}` }
      : tryHook('probe_uprobe', (o) =>
          o.attach('probe_uprobe', { kind: 'uprobe', path: process.execPath, offset: sym }),
        );
  report.perf_event = tryHook('probe_perf_event', (o) =>
    o.attach('probe_perf_event', { kind: 'perf_event', cpu: 0, frequency: 1 }),
  );
  report.socket_filter = tryHook('probe_socket', (o) => {
    const sock = openPacketSocket({ interface: 'lo', onFrames: () => {} });
    try {
      o.attach('probe_socket', { kind: 'socket', fd: sock.fd });
    } finally {
      sock.close();
    }
  });
  cached = report;
  return report;
}

export function describeFeatures(report: FeatureReport): string[] {
  return Object.entries(report).map(([k, f]) => (f.enabled ? `${k}: ok` : `${k}: disabled: ${f.reason}`));
}
