/**
 * Shape check of a decoded resources frame, so the API can trust field types and bounds
 * (RESOURCE_LIMITS) before touching the resource store. Returns an error message or
 * undefined. As defence in depth it also deletes process env entries whose names match
 * SECRET_ENV_RE, so no agent version can get a secret into the store.
 */
import { RESOURCE_LIMITS as L, SECRET_ENV_RE, WORKLOAD_KINDS } from './resources-model';

type Rule =
  | 'str'
  | 'cmd'
  | 'uint'
  | 'map'
  | 'strs'
  | 'bool'
  | { obj: Shape }
  | { arr: Rule }
  | { opt: Rule }
  | { oneOf: readonly string[] };
type Shape = Record<string, Rule>;

const owner: Shape = { kind: 'str', name: 'str', uid: 'str' };
const meta = { uid: 'str', name: 'str', labels: 'map', annotations: 'map' } as const;
const SHAPES = {
  host: {
    hostname: 'str',
    machineId: 'str',
    bootId: 'str',
    kernel: 'str',
    os: 'str',
    arch: 'str',
    cpuCount: 'uint',
    memoryBytes: 'uint',
  },
  interfaces: { name: 'str', mac: 'str', ips: 'strs' },
  processes: {
    pid: 'uint',
    ppid: 'uint',
    startTime: 'uint',
    comm: 'str',
    cmdline: 'cmd',
    exe: 'str',
    uid: 'uint',
    cgroup: 'str',
    containerId: 'str',
    podUid: 'str',
    env: 'map',
    listen: { arr: { obj: { proto: { oneOf: ['tcp', 'tcp6'] }, ip: 'str', port: 'uint' } } },
  },
  containers: {
    id: 'str',
    runtime: { oneOf: ['docker', 'containerd', 'cri-o', 'podman', 'unknown'] },
    name: 'str',
    image: 'str',
    podUid: 'str',
    labels: 'map',
  },
  cluster: { name: 'str', uid: 'str' },
  nodes: { ...meta, ips: 'strs' },
  namespaces: meta,
  workloads: { ...meta, kind: { oneOf: WORKLOAD_KINDS }, namespace: 'str', owner: { opt: { obj: owner } } },
  pods: {
    ...meta,
    namespace: 'str',
    node: 'str',
    phase: 'str',
    ips: 'strs',
    containers: { arr: { obj: { name: 'str', id: 'str', image: 'str' } } },
    owner: { opt: { obj: owner } },
    workload: { opt: { obj: owner } },
  },
  services: {
    ...meta,
    namespace: 'str',
    type: 'str',
    clusterIps: 'strs',
    selector: 'map',
    ports: {
      arr: {
        obj: { name: 'str', protocol: 'str', port: 'uint', targetPort: 'str', nodePort: 'uint' },
      },
    },
  },
} satisfies Record<string, Shape>;

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function check(v: unknown, rule: Rule, path: string): string | undefined {
  if (typeof rule === 'string') {
    switch (rule) {
      case 'str':
      case 'cmd':
        return typeof v === 'string' && v.length <= (rule === 'cmd' ? L.cmdline : L.string)
          ? undefined
          : `${path}: expected a string of at most ${rule === 'cmd' ? L.cmdline : L.string} chars`;
      case 'uint':
        return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
          ? undefined
          : `${path}: expected a non-negative integer`;
      case 'bool':
        return typeof v === 'boolean' ? undefined : `${path}: expected a boolean`;
      case 'strs':
        if (!Array.isArray(v) || v.length > L.arrayEntries) return `${path}: expected a bounded string array`;
        return v.every((s) => typeof s === 'string' && s.length <= L.string)
          ? undefined
          : `${path}: bad string`;
      case 'map':
        if (!isObj(v)) return `${path}: expected an object of strings`;
        if (Object.keys(v).length > L.mapEntries) return `${path}: more than ${L.mapEntries} entries`;
        for (const [k, s] of Object.entries(v))
          if (k.length > L.string || typeof s !== 'string' || s.length > L.string)
            return `${path}.${k}: bad entry`;
        return undefined;
    }
  }
  if ('opt' in rule) return v === undefined ? undefined : check(v, rule.opt, path);
  if ('oneOf' in rule) return rule.oneOf.includes(v as string) ? undefined : `${path}: unexpected value`;
  if ('arr' in rule) {
    if (!Array.isArray(v) || v.length > L.arrayEntries) return `${path}: expected a bounded array`;
    for (let i = 0; i < v.length; i++) {
      const e = check(v[i], rule.arr, `${path}[${i}]`);
      if (e) return e;
    }
    return undefined;
  }
  if (!isObj(v)) return `${path}: expected an object`;
  for (const [k, r] of Object.entries(rule.obj)) {
    const e = check(v[k], r, `${path}.${k}`);
    if (e) return e;
  }
  return undefined;
}

function checkItems(v: unknown, shape: Shape, path: string): string | undefined {
  if (!Array.isArray(v) || v.length > L.items)
    return `${path}: expected an array of at most ${L.items} items`;
  for (let i = 0; i < v.length; i++) {
    const e = check(v[i], { obj: shape }, `${path}[${i}]`);
    if (e) return e;
  }
  return undefined;
}

function checkDelta(v: unknown, shape: Shape, path: string): string | undefined {
  if (v === undefined) return undefined;
  if (!isObj(v)) return `${path}: expected {added, changed, removed}`;
  const removed = v.removed;
  if (!Array.isArray(removed) || removed.length > L.items || !removed.every((s) => typeof s === 'string'))
    return `${path}.removed: expected an array of keys`;
  return checkItems(v.added, shape, `${path}.added`) ?? checkItems(v.changed, shape, `${path}.changed`);
}

const K8S_KEYS = ['nodes', 'namespaces', 'workloads', 'pods', 'services'] as const;
const TOP_KEYS = ['interfaces', 'processes', 'containers'] as const;

function checkReport(r: unknown, delta: boolean): string | undefined {
  const p = delta ? 'delta' : 'report';
  if (!isObj(r)) return `${p}: expected an object`;
  const t = check(r.time, 'uint', `${p}.time`);
  if (t) return t;
  const each = delta ? checkDelta : checkItems;
  if (!delta || r.host !== undefined) {
    const e = check(r.host, { obj: SHAPES.host }, `${p}.host`);
    if (e) return e;
  }
  for (const k of TOP_KEYS) {
    const e = each(r[k], SHAPES[k], `${p}.${k}`);
    if (e) return e;
  }
  if (r.k8s === undefined) return undefined;
  const k8s = r.k8s;
  if (!isObj(k8s)) return `${p}.k8s: expected an object`;
  if (!delta || k8s.cluster !== undefined) {
    const e = check(k8s.cluster, { obj: SHAPES.cluster }, `${p}.k8s.cluster`);
    if (e) return e;
  }
  for (const k of K8S_KEYS) {
    const e = each(k8s[k], SHAPES[k], `${p}.k8s.${k}`);
    if (e) return e;
  }
  return undefined;
}

function scrubEnv(processes: unknown): void {
  if (!Array.isArray(processes)) return;
  for (const proc of processes as { env: Record<string, string> }[])
    for (const name of Object.keys(proc.env)) if (SECRET_ENV_RE.test(name)) delete proc.env[name];
}

/** Validates `o` (a parsed JSON object with type 'resources') in place. */
export function checkResourcesFrame(o: Record<string, unknown>): string | undefined {
  if (typeof o.full !== 'boolean') return 'resources frame needs a boolean `full`';
  const seq = check(o.seq, 'uint', 'seq');
  if (seq) return seq;
  const err = o.full ? checkReport(o.report, false) : checkReport(o.delta, true);
  if (err) return err;
  if (o.full) scrubEnv((o.report as Record<string, unknown>).processes);
  else {
    const d = (o.delta as Record<string, unknown>).processes as Record<string, unknown> | undefined;
    if (d) {
      scrubEnv(d.added);
      scrubEnv(d.changed);
    }
  }
  return undefined;
}
