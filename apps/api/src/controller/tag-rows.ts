/**
 * What the flow_tag dictionaries should hold, read from the resource store: a name per
 * resource id and the custom tags (`os.env.*` of processes, `k8s.label.*`,
 * `k8s.annotation.*` and `k8s.env.*` of pods), keyed as packages/tags' contract says.
 */
import {
  CUSTOM_TAG_RESOURCES,
  customTagDictionary,
  nameDictionary,
  type ResourceKind,
} from '@zeroscope/tags';
import type { Db } from '../resources/db';
import { processServiceName } from './ids';

/** dictionary name -> (row key -> JSON row) */
export type TagRows = Map<string, Map<string, Record<string, string | number>>>;

/** Exited processes stay decodable as long as request logs that name them are kept. */
export const EXITED_KEEP_MS = 8 * 24 * 3600 * 1000;

const strMap = (v: unknown): Record<string, string> => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
};

export async function readTagRows(db: Db, now = new Date()): Promise<TagRows> {
  const rows: TagRows = new Map();
  const names = (kind: ResourceKind, list: { id: number; name: string }[]) => {
    const m = new Map<string, Record<string, string | number>>();
    for (const r of list) m.set(String(r.id), { id: r.id, name: r.name });
    rows.set(nameDictionary(kind), m);
  };
  const custom = new Map<ResourceKind, Map<string, Record<string, string | number>>>(
    CUSTOM_TAG_RESOURCES.map((k) => [k, new Map()]),
  );
  const addCustom = (kind: ResourceKind, id: number, key: string, value: string) =>
    custom.get(kind)?.set(`${id}\u0000${key}`, { id, key, value });

  const since = new Date(now.getTime() - EXITED_KEEP_MS);
  const [hosts, procs, containers, clusters, nodes, namespaces, workloads, pods, services] =
    await Promise.all([
      db.host.findMany({ select: { id: true, hostname: true } }),
      db.process.findMany({
        where: { OR: [{ exitedAt: null }, { exitedAt: { gte: since } }] },
        select: { id: true, comm: true, env: true, container: { select: { podId: true } } },
      }),
      db.container.findMany({ select: { id: true, name: true, uid: true } }),
      db.k8sCluster.findMany({ select: { id: true, name: true } }),
      db.k8sNode.findMany({ select: { id: true, name: true } }),
      db.k8sNamespace.findMany({ select: { id: true, name: true } }),
      db.k8sWorkload.findMany({ select: { id: true, name: true } }),
      db.k8sPod.findMany({ select: { id: true, name: true, labels: true, annotations: true } }),
      db.k8sService.findMany({ select: { id: true, name: true } }),
    ]);
  names(
    'host',
    hosts.map((h) => ({ id: h.id, name: h.hostname })),
  );
  names(
    'gprocess',
    procs.map((p) => ({ id: p.id, name: processServiceName({ comm: p.comm, env: strMap(p.env) }) })),
  );
  names(
    'container',
    containers.map((c) => ({ id: c.id, name: c.name || c.uid.slice(0, 12) })),
  );
  names('pod_cluster', clusters);
  names('pod_node', nodes);
  names('pod_ns', namespaces);
  names('pod_group', workloads);
  names('pod', pods);
  names('service', services);
  for (const p of procs) {
    const env = strMap(p.env);
    for (const [k, v] of Object.entries(env)) {
      addCustom('gprocess', p.id, `os.env.${k}`, v);
      if (p.container?.podId) addCustom('pod', p.container.podId, `k8s.env.${k}`, v);
    }
  }
  for (const p of pods) {
    for (const [k, v] of Object.entries(strMap(p.labels))) addCustom('pod', p.id, `k8s.label.${k}`, v);
    for (const [k, v] of Object.entries(strMap(p.annotations)))
      addCustom('pod', p.id, `k8s.annotation.${k}`, v);
  }
  for (const [kind, m] of custom) rows.set(customTagDictionary(kind), m);
  return rows;
}
