/**
 * Resource discovery loop of the agent: scans host, interfaces, processes and containers
 * every `intervalMs` (a full /proc re-read every `fullScanEveryMs`), watches Kubernetes when
 * configured, and hands resources frames to `onReport`: a full report first (and after every
 * resync(), which the caller invokes when its API connection is re-established), then a
 * delta whenever something changed.
 */
import fs from 'node:fs';
import {
  diffResources,
  isEmptyDelta,
  type K8sReport,
  type ProcessInfo,
  RESOURCE_LIMITS,
  type ResourceReport,
  type ResourcesFrame,
} from '@zeroscope/wire/resources';
import { parseCgroup } from './cgroup';
import { ContainerTracker } from './containers';
import { envFilter } from './env';
import { readHost, readInterfaces } from './host';
import { inClusterConfig, type K8sOptions } from './k8s/config';
import { K8sWatcher } from './k8s/watcher';
import { ProcessScanner } from './processes';
import { readText } from './procfs';

export interface DiscoveryOptions {
  /** process/host rescan period; default 5 s */
  intervalMs?: number;
  /** every process is re-read this often (cmdline/env changes); default 60 s */
  fullScanEveryMs?: number;
  /** Kubernetes API access: explicit, from the pod's service account, or none */
  k8s?: K8sOptions | 'in-cluster';
  /** environment the in-cluster config reads (the app's validated env); default process.env */
  env?: Record<string, string | undefined>;
  /** extra env names / prefixes kept as process tags (secret-looking names never are) */
  envNames?: string[];
  envPrefixes?: string[];
  procRoot?: string;
  /** prefix for runtime state files (tests); default '' */
  hostRoot?: string;
  onReport(frame: ResourcesFrame): void;
  log?: (line: string) => void;
}

export interface PidResources {
  pid: number;
  /** µs since the epoch; 0 when the pid was looked up before its first scan */
  startTime: number;
  containerId: string;
  podUid: string;
}

export interface DiscoveryStats {
  reports: number;
  deltas: number;
  trimmedProcesses: number;
  lookupMisses: number;
  scan: ProcessScanner['stats'];
  k8s: ReturnType<K8sWatcher['stats']> | undefined;
}

export interface DiscoveryHandle {
  stop(): Promise<void>;
  /** the last report built (also after stop) */
  snapshot(): ResourceReport;
  /** emits a full report now; later deltas are relative to it */
  resync(): void;
  lookupPid(pid: number): PidResources | undefined;
  stats(): DiscoveryStats;
}

const K8S_DEBOUNCE_MS = 1000;

export function startDiscovery(opts: DiscoveryOptions): DiscoveryHandle {
  const intervalMs = opts.intervalMs ?? 5000;
  const fullEvery = opts.fullScanEveryMs ?? 60_000;
  const procRoot = opts.procRoot ?? '/proc';
  const scanner = new ProcessScanner({ procRoot, env: envFilter(opts.envNames, opts.envPrefixes) });
  const containers = new ContainerTracker(opts.hostRoot ?? '');
  const s = { reports: 0, deltas: 0, trimmedProcesses: 0, lookupMisses: 0 };

  let k8s: K8sWatcher | undefined;
  let k8sTimer: NodeJS.Timeout | undefined;
  if (opts.k8s) {
    try {
      const cfg = opts.k8s === 'in-cluster' ? inClusterConfig(opts.env ?? process.env) : opts.k8s;
      k8s = new K8sWatcher(cfg, () => (k8sTimer ??= setTimeout(onK8sChange, K8S_DEBOUNCE_MS)), opts.log);
      k8s.start();
    } catch (e) {
      opts.log?.(`discovery: Kubernetes disabled: ${(e as Error).message}`);
    }
  }

  let processes: ProcessInfo[] = [];
  let lastFull = 0;
  let misses = new Map<number, PidResources>();
  let sent: ResourceReport | undefined;
  let seq = 0;
  let current = build();

  function build(): ResourceReport {
    const report: ResourceReport = {
      time: Date.now() * 1000,
      host: readHost(opts.hostRoot ?? ''),
      interfaces: readInterfaces(),
      processes,
      containers: containers.update(processes),
    };
    const k: K8sReport | undefined = k8s?.report();
    if (k) report.k8s = k;
    return fit(report);
  }

  /** Keeps a frame under the size bound by leaving out the least interesting processes. */
  function fit(r: ResourceReport): ResourceReport {
    const size = JSON.stringify(r).length;
    if (size <= RESOURCE_LIMITS.frameBytes * 0.9) return r;
    const score = (p: ProcessInfo) =>
      (p.listen.length ? 4 : 0) + (p.containerId ? 2 : 0) + (Object.keys(p.env).length ? 1 : 0);
    const sorted = [...r.processes].sort((a, b) => score(b) - score(a));
    const keep = Math.floor((sorted.length * RESOURCE_LIMITS.frameBytes * 0.8) / size);
    s.trimmedProcesses += sorted.length - keep;
    return { ...r, processes: sorted.slice(0, keep) };
  }

  function emit(full: boolean): void {
    if (full || !sent) {
      sent = current;
      seq = 0;
      s.reports++;
      opts.onReport({ type: 'resources', full: true, seq, report: current });
      return;
    }
    const delta = diffResources(sent, current);
    if (isEmptyDelta(delta)) return;
    sent = current;
    s.deltas++;
    opts.onReport({ type: 'resources', full: false, seq: ++seq, delta });
  }

  function tick(): void {
    try {
      const now = Date.now();
      const full = now - lastFull >= fullEvery;
      if (full) {
        lastFull = now;
        containers.retryMisses();
      }
      processes = scanner.scan(full);
      misses = new Map();
      current = build();
      emit(false);
    } catch (e) {
      opts.log?.(`discovery: scan failed: ${(e as Error).message}`);
    }
  }

  function onK8sChange(): void {
    k8sTimer = undefined;
    current = { ...current, time: Date.now() * 1000, k8s: k8s?.report() };
    if (!current.k8s) delete current.k8s;
    emit(false);
  }

  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      clearTimeout(k8sTimer);
      await k8s?.stop();
    },
    snapshot: () => current,
    resync: () => emit(true),
    lookupPid(pid) {
      const p = scanner.lookup(pid);
      if (p) return { pid, startTime: p.startTime, containerId: p.containerId, podUid: p.podUid };
      let m = misses.get(pid);
      if (!m) {
        s.lookupMisses++;
        const text = readText(`${procRoot}/${pid}/cgroup`);
        if (text === undefined) return undefined;
        const cg = parseCgroup(text);
        m = { pid, startTime: 0, containerId: cg.containerId, podUid: cg.podUid };
        if (misses.size < 4096) misses.set(pid, m);
      }
      return m;
    },
    stats: () => ({ ...s, scan: { ...scanner.stats }, k8s: k8s?.stats() }),
  };
}

/** True when this process runs inside a Kubernetes pod with a mounted service account. */
export function inKubernetes(env: Record<string, string | undefined>): boolean {
  return (
    !!env.KUBERNETES_SERVICE_HOST && fs.existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token')
  );
}
