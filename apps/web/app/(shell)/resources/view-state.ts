/** The resources view's state in the URL: `kind=pod&q=k8s.label.app=cart&sel=12`. Pure. */
export const KINDS = [
  'host',
  'process',
  'container',
  'pod',
  'workload',
  'service',
  'namespace',
  'node',
] as const;
export type Kind = (typeof KINDS)[number];

export const KIND_LABEL: Record<Kind, string> = {
  host: 'Hosts',
  process: 'Processes',
  container: 'Containers',
  pod: 'Pods',
  workload: 'Workloads',
  service: 'K8s services',
  namespace: 'Namespaces',
  node: 'K8s nodes',
};

export interface ResourcesView {
  kind: Kind;
  search: string;
  selected: number | undefined;
}

export function parseResourcesView(p: URLSearchParams): ResourcesView {
  const kind = p.get('kind');
  const sel = p.get('sel');
  return {
    kind: KINDS.includes(kind as Kind) ? (kind as Kind) : 'host',
    search: (p.get('q') ?? '').slice(0, 200),
    selected: sel !== null && /^\d{1,10}$/.test(sel) ? Number(sel) : undefined,
  };
}

export function writeResourcesView(v: ResourcesView, p = new URLSearchParams()): URLSearchParams {
  if (v.kind === 'host') p.delete('kind');
  else p.set('kind', v.kind);
  if (v.search.trim()) p.set('q', v.search.trim());
  else p.delete('q');
  if (v.selected !== undefined) p.set('sel', String(v.selected));
  else p.delete('sel');
  return p;
}

/** The kind to open first: the view's own, unless it is empty and another kind is not. */
export function firstKind(view: Kind, counts: Record<Kind, number> | undefined, explicit: boolean): Kind {
  if (explicit || !counts || counts[view] > 0) return view;
  return KINDS.find((k) => counts[k] > 0) ?? view;
}

/**
 * Where a resource leads in the other views: its traffic on the map (grouped the way the
 * resource is a node) and its requests.
 */
export function resourceLinks(
  kind: Kind,
  name: string,
  carry: URLSearchParams,
): { label: string; href: string }[] {
  const keep = new URLSearchParams();
  for (const k of ['range', 'from', 'to', 'refresh']) {
    const v = carry.get(k);
    if (v !== null) keep.set(k, v);
  }
  const to = (path: string, extra: Record<string, string>) => {
    const q = new URLSearchParams(keep);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return `${path}?${q.toString()}`;
  };
  const group: Partial<Record<Kind, string>> = {
    host: 'host',
    process: 'process',
    pod: 'instance',
    workload: 'workload',
    service: 'service',
    namespace: 'namespace',
  };
  const out: { label: string; href: string }[] = [];
  const g = group[kind];
  if (g)
    out.push({
      label: 'On the map',
      href: to('/map', { ...(g === 'service' ? {} : { group: g }), sel: name }),
    });
  if (kind === 'service') out.push({ label: 'Service page', href: to('/services', { svc: name }) });
  out.push({ label: 'Requests', href: to('/requests', { q: name }) });
  // the profiles view filters by the same catalog tags (profiles/view-state.ts)
  const profileTag: Partial<Record<Kind, string>> = {
    host: 'host',
    process: 'gprocess',
    container: 'container',
    pod: 'pod',
    workload: 'pod_group',
    namespace: 'pod_ns',
  };
  if (kind === 'service') out.push({ label: 'CPU profile', href: to('/profiles', { svc: name }) });
  else if (profileTag[kind])
    out.push({ label: 'CPU profile', href: to('/profiles', { tag: `${profileTag[kind]}:${name}` }) });
  return out;
}
