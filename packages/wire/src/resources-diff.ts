/**
 * Full report -> delta -> full report: the agent diffs consecutive snapshots and sends only
 * what changed; the API applies deltas to the last full report it holds for the agent.
 * applyResourceDelta(prev, diffResources(prev, next)) deep-equals next (up to item order).
 */
import {
  type CollectionDelta,
  type K8sDelta,
  type K8sReport,
  RESOURCE_KEYS,
  type ResourceDelta,
  type ResourceReport,
} from './resources-model';

type Keyed = keyof typeof RESOURCE_KEYS;
type KeyFn<T> = (item: T) => string;

/** Structural equality over JSON-shaped values (key order ignored). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (!sameValue(ao[k], bo[k])) return false;
  return true;
}

export function diffCollection<T>(prev: readonly T[], next: readonly T[], key: KeyFn<T>): CollectionDelta<T> {
  const before = new Map<string, T>();
  for (const item of prev) before.set(key(item), item);
  const d: CollectionDelta<T> = { added: [], changed: [], removed: [] };
  const seen = new Set<string>();
  for (const item of next) {
    const k = key(item);
    seen.add(k);
    const old = before.get(k);
    if (old === undefined) d.added.push(item);
    else if (!sameValue(old, item)) d.changed.push(item);
  }
  for (const k of before.keys()) if (!seen.has(k)) d.removed.push(k);
  return d;
}

export function applyCollection<T>(
  prev: readonly T[],
  delta: CollectionDelta<T> | undefined,
  key: KeyFn<T>,
): T[] {
  if (!delta) return [...prev];
  const byKey = new Map<string, T>();
  for (const item of prev) byKey.set(key(item), item);
  for (const k of delta.removed) byKey.delete(k);
  for (const item of delta.added) byKey.set(key(item), item);
  for (const item of delta.changed) byKey.set(key(item), item);
  return [...byKey.values()];
}

const nonEmpty = <T>(d: CollectionDelta<T>): CollectionDelta<T> | undefined =>
  d.added.length + d.changed.length + d.removed.length > 0 ? d : undefined;

const K8S_COLLECTIONS = ['nodes', 'namespaces', 'workloads', 'pods', 'services'] as const;
const EMPTY_K8S: K8sReport = {
  cluster: { name: '', uid: '' },
  nodes: [],
  namespaces: [],
  workloads: [],
  pods: [],
  services: [],
};

function diffK8s(prev: K8sReport | undefined, next: K8sReport | undefined): K8sDelta | undefined {
  if (!prev && !next) return undefined;
  const a = prev ?? EMPTY_K8S;
  const b = next ?? EMPTY_K8S;
  const d: K8sDelta = {};
  if (!sameValue(a.cluster, b.cluster)) d.cluster = b.cluster;
  for (const c of K8S_COLLECTIONS) {
    const cd = nonEmpty(diffCollection<unknown>(a[c], b[c], RESOURCE_KEYS[c] as KeyFn<unknown>));
    if (cd) (d as Record<string, unknown>)[c] = cd;
  }
  return Object.keys(d).length > 0 ? d : undefined;
}

export function diffResources(prev: ResourceReport, next: ResourceReport): ResourceDelta {
  const d: ResourceDelta = { time: next.time };
  if (!sameValue(prev.host, next.host)) d.host = next.host;
  for (const c of ['interfaces', 'processes', 'containers'] as const satisfies readonly Keyed[]) {
    const cd = nonEmpty(diffCollection<unknown>(prev[c], next[c], RESOURCE_KEYS[c] as KeyFn<unknown>));
    if (cd) (d as unknown as Record<string, unknown>)[c] = cd;
  }
  const k = diffK8s(prev.k8s, next.k8s);
  if (k) d.k8s = k;
  return d;
}

export function isEmptyDelta(d: ResourceDelta): boolean {
  return Object.keys(d).every(
    (k) => k === 'time' || (d as unknown as Record<string, unknown>)[k] === undefined,
  );
}

export function applyResourceDelta(prev: ResourceReport, d: ResourceDelta): ResourceReport {
  const next: ResourceReport = {
    time: d.time,
    host: d.host ?? prev.host,
    interfaces: applyCollection(prev.interfaces, d.interfaces, RESOURCE_KEYS.interfaces),
    processes: applyCollection(prev.processes, d.processes, RESOURCE_KEYS.processes),
    containers: applyCollection(prev.containers, d.containers, RESOURCE_KEYS.containers),
  };
  if (prev.k8s || d.k8s) {
    const a = prev.k8s ?? EMPTY_K8S;
    const k = d.k8s ?? {};
    next.k8s = {
      cluster: k.cluster ?? a.cluster,
      nodes: applyCollection(a.nodes, k.nodes, RESOURCE_KEYS.nodes),
      namespaces: applyCollection(a.namespaces, k.namespaces, RESOURCE_KEYS.namespaces),
      workloads: applyCollection(a.workloads, k.workloads, RESOURCE_KEYS.workloads),
      pods: applyCollection(a.pods, k.pods, RESOURCE_KEYS.pods),
      services: applyCollection(a.services, k.services, RESOURCE_KEYS.services),
    };
  }
  return next;
}
