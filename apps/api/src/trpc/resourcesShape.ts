/**
 * Resource-store rows (Prisma models of prisma/schema.prisma) -> one inventory row shape for
 * every kind, with the tags the query language knows them by (§2.5: `k8s.label.*`,
 * `os.env.*`, ...). Pure: tested in resourcesShape.test.ts.
 */

export const RESOURCE_KINDS = [
  'host',
  'process',
  'container',
  'pod',
  'workload',
  'service',
  'namespace',
  'node',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export interface InventoryRow {
  kind: ResourceKind;
  id: number;
  name: string;
  /** where it lives: the host of a process, the namespace of a pod, ... */
  scope: string;
  /** tag name -> value, as filters and groupings name them */
  tags: Record<string, string>;
  /** a few plain facts: pid, ip, image, ... */
  facts: Record<string, string>;
  lastSeen: string;
  /** true when the resource is gone (exited process, deleted pod) */
  gone: boolean;
}

type Json = unknown;

/** A stored JSON map -> `prefix + key` -> string value; anything else -> {}. */
export function prefixed(prefix: string, value: Json): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[prefix + k] = String(v ?? '');
  return out;
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : '');
const facts = (o: Record<string, unknown>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined && v !== '') out[k] = String(v);
  return out;
};

export function hostRow(h: {
  id: number;
  hostname: string;
  uid: string;
  os: string | null;
  kernel: string | null;
  arch: string | null;
  labels: Json;
  lastSeen: Date | string;
}): InventoryRow {
  return {
    kind: 'host',
    id: h.id,
    name: h.hostname,
    scope: '',
    tags: prefixed('host.label.', h.labels),
    facts: facts({ os: h.os, kernel: h.kernel, arch: h.arch, uid: h.uid }),
    lastSeen: iso(h.lastSeen),
    gone: false,
  };
}

export function processRow(p: {
  id: number;
  pid: number;
  comm: string;
  cmdline: string;
  env: Json;
  lastSeen: Date | string;
  exitedAt: Date | string | null;
  host: { hostname: string } | null;
}): InventoryRow {
  return {
    kind: 'process',
    id: p.id,
    name: p.comm,
    scope: p.host?.hostname ?? '',
    tags: prefixed('os.env.', p.env),
    facts: facts({ pid: p.pid, cmdline: p.cmdline }),
    lastSeen: iso(p.lastSeen),
    gone: !!p.exitedAt,
  };
}

export function containerRow(c: {
  id: number;
  uid: string;
  name: string | null;
  image: string | null;
  runtime: string | null;
  labels: Json;
  lastSeen: Date | string;
  host: { hostname: string } | null;
}): InventoryRow {
  return {
    kind: 'container',
    id: c.id,
    name: c.name || c.uid.slice(0, 12),
    scope: c.host?.hostname ?? '',
    tags: prefixed('container.label.', c.labels),
    facts: facts({ image: c.image, runtime: c.runtime, id: c.uid.slice(0, 12) }),
    lastSeen: iso(c.lastSeen),
    gone: false,
  };
}

export function podRow(p: {
  id: number;
  name: string;
  ip: string | null;
  phase: string | null;
  labels: Json;
  annotations: Json;
  lastSeen: Date | string;
  deletedAt: Date | string | null;
  namespace: { name: string } | null;
  node: { name: string } | null;
  workload: { kind: string; name: string } | null;
}): InventoryRow {
  return {
    kind: 'pod',
    id: p.id,
    name: p.name,
    scope: p.namespace?.name ?? '',
    tags: { ...prefixed('k8s.label.', p.labels), ...prefixed('k8s.annotation.', p.annotations) },
    facts: facts({
      ip: p.ip,
      phase: p.phase,
      node: p.node?.name,
      workload: p.workload ? `${p.workload.kind}/${p.workload.name}` : undefined,
    }),
    lastSeen: iso(p.lastSeen),
    gone: !!p.deletedAt,
  };
}

export function workloadRow(w: {
  id: number;
  kind: string;
  name: string;
  labels: Json;
  lastSeen: Date | string;
  namespace: { name: string } | null;
  _count?: { pods: number };
}): InventoryRow {
  return {
    kind: 'workload',
    id: w.id,
    name: w.name,
    scope: w.namespace?.name ?? '',
    tags: prefixed('k8s.label.', w.labels),
    facts: facts({ kind: w.kind, pods: w._count?.pods }),
    lastSeen: iso(w.lastSeen),
    gone: false,
  };
}

export function serviceRow(s: {
  id: number;
  name: string;
  type: string | null;
  clusterIp: string | null;
  selector: Json;
  labels: Json;
  lastSeen: Date | string;
  namespace: { name: string } | null;
}): InventoryRow {
  const selector = Object.entries(prefixed('', s.selector))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return {
    kind: 'service',
    id: s.id,
    name: s.name,
    scope: s.namespace?.name ?? '',
    tags: prefixed('k8s.label.', s.labels),
    facts: facts({ type: s.type, clusterIp: s.clusterIp, selector }),
    lastSeen: iso(s.lastSeen),
    gone: false,
  };
}

export function namespaceRow(n: {
  id: number;
  name: string;
  labels: Json;
  lastSeen: Date | string;
  cluster: { name: string } | null;
  _count?: { pods: number };
}): InventoryRow {
  return {
    kind: 'namespace',
    id: n.id,
    name: n.name,
    scope: n.cluster?.name ?? '',
    tags: prefixed('k8s.label.', n.labels),
    facts: facts({ pods: n._count?.pods }),
    lastSeen: iso(n.lastSeen),
    gone: false,
  };
}

export function nodeRow(n: {
  id: number;
  name: string;
  labels: Json;
  lastSeen: Date | string;
  cluster: { name: string } | null;
  host: { hostname: string } | null;
}): InventoryRow {
  return {
    kind: 'node',
    id: n.id,
    name: n.name,
    scope: n.cluster?.name ?? '',
    tags: prefixed('k8s.label.', n.labels),
    facts: facts({ host: n.host?.hostname }),
    lastSeen: iso(n.lastSeen),
    gone: false,
  };
}

/**
 * Narrows rows by free text (name, scope, any fact or tag value) and by `key=value` tag
 * terms (`k8s.label.app=cart`); every term must match.
 */
export function matchRows(rows: InventoryRow[], search: string): InventoryRow[] {
  const terms = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!terms.length) return rows;
  return rows.filter((r) =>
    terms.every((term) => {
      const eq = term.indexOf('=');
      if (eq > 0) {
        const key = term.slice(0, eq);
        const value = term.slice(eq + 1);
        return Object.entries(r.tags).some(([k, v]) => k.toLowerCase() === key && v.toLowerCase() === value);
      }
      const hay = [
        r.name,
        r.scope,
        ...Object.values(r.facts),
        ...Object.keys(r.tags),
        ...Object.values(r.tags),
      ];
      return hay.some((h) => h.toLowerCase().includes(term));
    }),
  );
}
