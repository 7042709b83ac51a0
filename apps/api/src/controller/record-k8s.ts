/**
 * Recording of Kubernetes objects. Every agent in a cluster watches the same API server, so
 * objects are upserted by their natural key and merge across agents; a pod that goes away
 * keeps its row (and id) with deletedAt set.
 */
import type { InterfaceInfo, K8sDelta, K8sNodeInfo, K8sOwner, K8sReport } from '@zeroscope/wire/resources';
import { emit, emitUpsert, json, type RecordCtx } from './record-context';

async function clusterId(c: RecordCtx, k: K8sReport): Promise<number> {
  const name = k.cluster.name || k.cluster.uid || 'default';
  const known = c.ids.clusters.get(name);
  if (known !== undefined) return known;
  const row = await c.db.k8sCluster.upsert({
    where: { name },
    create: { name, uid: k.cluster.uid || null, firstSeen: c.now, lastSeen: c.now },
    update: { uid: k.cluster.uid || null, lastSeen: c.now },
  });
  c.ids.clusters.set(name, row.id);
  emitUpsert(c, false, row, 'pod_cluster', name);
  return row.id;
}

async function namespaceId(
  c: RecordCtx,
  cid: number,
  name: string,
  info?: { uid: string; labels: Record<string, string>; annotations: Record<string, string> },
): Promise<number> {
  const key = `${cid}/${name}`;
  const known = c.ids.namespaces.get(key);
  if (known !== undefined && !info) return known;
  const data = info
    ? {
        uid: info.uid || null,
        labels: json(info.labels),
        annotations: json(info.annotations),
        lastSeen: c.now,
      }
    : { lastSeen: c.now };
  const row = await c.db.k8sNamespace.upsert({
    where: { clusterId_name: { clusterId: cid, name } },
    create: { clusterId: cid, name, ...data, firstSeen: c.now },
    update: data,
  });
  c.ids.namespaces.set(key, row.id);
  emitUpsert(c, known !== undefined, row, 'pod_ns', name);
  return row.id;
}

async function workloadId(
  c: RecordCtx,
  nsId: number,
  w: K8sOwner,
  info?: { labels: Record<string, string>; annotations: Record<string, string> },
): Promise<number> {
  const key = `${nsId}/${w.kind}/${w.name}`;
  const known = c.ids.workloads.get(key);
  if (known !== undefined && !info) return known;
  const data = {
    uid: w.uid || null,
    lastSeen: c.now,
    ...(info ? { labels: json(info.labels), annotations: json(info.annotations) } : {}),
  };
  const row = await c.db.k8sWorkload.upsert({
    where: { namespaceId_kind_name: { namespaceId: nsId, kind: w.kind, name: w.name } },
    create: { namespaceId: nsId, kind: w.kind, name: w.name, ...data, firstSeen: c.now },
    update: data,
  });
  c.ids.workloads.set(key, row.id);
  emitUpsert(c, known !== undefined, row, 'pod_group', w.name);
  return row.id;
}

/** A node is this agent's host when its name or one of its addresses matches the host's. */
function nodeOnHost(n: K8sNodeInfo, hostname: string, ifaces: readonly InterfaceInfo[]): boolean {
  if (n.name === hostname) return true;
  const mine = new Set(ifaces.flatMap((i) => i.ips.map((ip) => ip.split('/')[0])));
  return n.ips.some((ip) => mine.has(ip));
}

async function nodeId(
  c: RecordCtx,
  cid: number,
  name: string,
  info?: K8sNodeInfo,
  onHost?: boolean,
): Promise<number> {
  const key = `${cid}/${name}`;
  const known = c.ids.nodes.get(key);
  if (known !== undefined && !info) return known;
  const data = {
    lastSeen: c.now,
    ...(info
      ? { uid: info.uid || null, labels: json(info.labels), annotations: json(info.annotations) }
      : {}),
    ...(onHost ? { hostId: c.hostId } : {}),
  };
  const row = await c.db.k8sNode.upsert({
    where: { clusterId_name: { clusterId: cid, name } },
    create: { clusterId: cid, name, ...data, firstSeen: c.now },
    update: data,
  });
  c.ids.nodes.set(key, row.id);
  emitUpsert(c, known !== undefined, row, 'pod_node', name);
  return row.id;
}

export async function recordK8s(
  c: RecordCtx,
  k: K8sReport,
  d: K8sDelta,
  host: { hostname: string; interfaces: readonly InterfaceInfo[] },
): Promise<void> {
  const cid = await clusterId(c, k);
  for (const ns of [...(d.namespaces?.added ?? []), ...(d.namespaces?.changed ?? [])])
    await namespaceId(c, cid, ns.name, ns);
  for (const n of [...(d.nodes?.added ?? []), ...(d.nodes?.changed ?? [])])
    await nodeId(c, cid, n.name, n, nodeOnHost(n, host.hostname, host.interfaces));
  for (const w of [...(d.workloads?.added ?? []), ...(d.workloads?.changed ?? [])]) {
    const nsId = await namespaceId(c, cid, w.namespace);
    await workloadId(c, nsId, w, w);
  }
  for (const p of [...(d.pods?.added ?? []), ...(d.pods?.changed ?? [])]) {
    const nsId = await namespaceId(c, cid, p.namespace);
    const data = {
      namespaceId: nsId,
      name: p.name,
      nodeId: p.node ? await nodeId(c, cid, p.node) : null,
      workloadId: p.workload ? await workloadId(c, nsId, p.workload) : null,
      ip: p.ips[0] ?? null,
      phase: p.phase || null,
      labels: json(p.labels),
      annotations: json(p.annotations),
      lastSeen: c.now,
      deletedAt: null,
    };
    const known = c.ids.pods.has(p.uid);
    const row = await c.db.k8sPod.upsert({
      where: { uid: p.uid },
      create: { uid: p.uid, ...data, firstSeen: c.now },
      update: data,
    });
    c.ids.pods.set(p.uid, row.id);
    emitUpsert(c, known, row, 'pod', p.name);
  }
  const gone = (d.pods?.removed ?? []).filter((uid) => c.ids.pods.has(uid));
  if (gone.length > 0) {
    await c.db.k8sPod.updateMany({ where: { uid: { in: gone } }, data: { deletedAt: c.now } });
    for (const uid of gone) emit(c, 'deleted', 'pod', c.ids.pods.get(uid)!, uid);
  }
  for (const s of [...(d.services?.added ?? []), ...(d.services?.changed ?? [])]) {
    const nsId = await namespaceId(c, cid, s.namespace);
    const data = {
      uid: s.uid || null,
      type: s.type || null,
      clusterIp: s.clusterIps[0] ?? null,
      selector: json(s.selector),
      ports: s.ports.map((p) => ({ ...p })),
      labels: json(s.labels),
      annotations: json(s.annotations),
      lastSeen: c.now,
      deletedAt: null,
    };
    const key = `${nsId}/${s.name}`;
    const known = c.ids.services.has(key);
    const row = await c.db.k8sService.upsert({
      where: { namespaceId_name: { namespaceId: nsId, name: s.name } },
      create: { namespaceId: nsId, name: s.name, ...data, firstSeen: c.now },
      update: data,
    });
    c.ids.services.set(key, row.id);
    emitUpsert(c, known, row, 'service', s.name);
  }
  const goneServices: number[] = [];
  for (const key of d.services?.removed ?? []) {
    const [ns, name] = key.split('/') as [string, string];
    const nsId = c.ids.namespaces.get(`${cid}/${ns}`);
    const id = nsId === undefined ? undefined : c.ids.services.get(`${nsId}/${name}`);
    if (id === undefined) continue;
    // the id stays known: a service re-created under the same name is the same resource
    goneServices.push(id);
    emit(c, 'deleted', 'service', id, name);
  }
  if (goneServices.length > 0)
    await c.db.k8sService.updateMany({ where: { id: { in: goneServices } }, data: { deletedAt: c.now } });
}
