/**
 * The in-memory index ingest enrichment reads (PRODUCT.md §2.5): for each agent, its
 * processes by pid and its listening ports, and fleet-wide, resources by IP (pod IPs,
 * service cluster IPs, host interface IPs). Each entry is a ready-made vector of the
 * TAG_ID_NAMES values, so enriching a row is a lookup and a copy. Rebuilt from the
 * recorded reports whenever recording changes something.
 */
import { AUTO_TYPE, type AutoTypeName } from '@zeroscope/tags';
import { TAG_ID_NAMES, type TagIdName } from '@zeroscope/wire/columns';
import type { K8sPodInfo, K8sReport, K8sServiceInfo, ProcessInfo } from '@zeroscope/wire/resources';
import { hostUid, type IdMaps, processKey } from './ids';
import { ipKey, isLoopbackKey } from './ip-key';

/** Tag id values in TAG_ID_NAMES order. */
export type TagVector = Uint32Array;

export interface AgentIndex {
  host: TagVector;
  byPid: Map<number, TagVector>;
  /** server port -> the local process listening on it */
  listen: Map<number, TagVector>;
  /** this host's own addresses (ipKey), besides loopback */
  ownIps: Set<number | string>;
}

export interface TagIndex {
  agents: Map<number, AgentIndex>;
  byIp: Map<number | string, TagVector>;
}

export const emptyTagIndex = (): TagIndex => ({ agents: new Map(), byIp: new Map() });

const SLOT = Object.fromEntries(TAG_ID_NAMES.map((n, i) => [n, i])) as Record<TagIdName, number>;

type Ids = Partial<
  Record<
    | 'host'
    | 'gprocess'
    | 'container'
    | 'pod'
    | 'pod_ns'
    | 'pod_group'
    | 'pod_node'
    | 'pod_cluster'
    | 'service',
    number
  >
>;

const INSTANCE_ORDER: readonly (keyof Ids)[] = ['pod', 'gprocess', 'host'];
const SERVICE_ORDER: readonly (keyof Ids)[] = ['service', 'pod_group', 'gprocess', 'host'];

/** Fills the resource ids and picks auto_instance / auto_service by precedence. */
export function tagVector(ids: Ids): TagVector {
  const v = new Uint32Array(TAG_ID_NAMES.length);
  for (const [k, id] of Object.entries(ids)) if (id) v[SLOT[`${k}_id` as TagIdName]] = id;
  const pick = (order: readonly (keyof Ids)[], idSlot: TagIdName, typeSlot: TagIdName) => {
    for (const k of order)
      if (ids[k]) {
        v[SLOT[idSlot]] = ids[k]!;
        v[SLOT[typeSlot]] = AUTO_TYPE[k as AutoTypeName];
        return;
      }
  };
  pick(INSTANCE_ORDER, 'auto_instance_id', 'auto_instance_type');
  pick(SERVICE_ORDER, 'auto_service_id', 'auto_service_type');
  return v;
}

export interface IndexAgent {
  agentId: number;
  hostId: number;
  report: {
    host: { hostname: string; machineId: string };
    interfaces: readonly { ips: readonly string[] }[];
    processes: readonly ProcessInfo[];
    containers: readonly { id: string; podUid: string }[];
    k8s?: K8sReport;
  };
}

interface PodIds {
  pod: number;
  pod_ns?: number;
  pod_group?: number;
  pod_node?: number;
  pod_cluster?: number;
  service?: number;
  host?: number;
}

const matches = (sel: Record<string, string>, labels: Record<string, string>) => {
  const keys = Object.keys(sel);
  return keys.length > 0 && keys.every((k) => labels[k] === sel[k]);
};

function podIds(
  ids: IdMaps,
  k: K8sReport,
  p: K8sPodInfo,
  services: readonly K8sServiceInfo[],
  nodeHosts: Map<string, number>,
): PodIds | undefined {
  const pod = ids.pods.get(p.uid);
  if (pod === undefined) return undefined;
  const cid = ids.clusters.get(k.cluster.name || k.cluster.uid || 'default');
  const ns = cid === undefined ? undefined : ids.namespaces.get(`${cid}/${p.namespace}`);
  const svc = services.find((s) => s.namespace === p.namespace && matches(s.selector, p.labels));
  return {
    pod,
    pod_cluster: cid,
    pod_ns: ns,
    pod_node: cid === undefined ? undefined : ids.nodes.get(`${cid}/${p.node}`),
    pod_group:
      ns === undefined || !p.workload
        ? undefined
        : ids.workloads.get(`${ns}/${p.workload.kind}/${p.workload.name}`),
    service: ns === undefined || !svc ? undefined : ids.services.get(`${ns}/${svc.name}`),
    host: nodeHosts.get(p.node),
  };
}

const addr = (cidr: string) => cidr.split('/')[0]!;

export function buildTagIndex(agents: readonly IndexAgent[], ids: IdMaps): TagIndex {
  const index = emptyTagIndex();
  // Kubernetes objects merge across agents (each watches the same API server).
  const pods = new Map<string, { k: K8sReport; p: K8sPodInfo }>();
  const services = new Map<string, { k: K8sReport; s: K8sServiceInfo }>();
  const nodeHosts = new Map<string, number>();
  const hostIps = new Set<number | string>();
  for (const a of agents) {
    const k = a.report.k8s;
    if (!k) continue;
    for (const p of k.pods) pods.set(p.uid, { k, p });
    for (const s of k.services) services.set(`${s.namespace}/${s.name}`, { k, s });
    if (k.nodes.some((n) => n.name === a.report.host.hostname))
      nodeHosts.set(a.report.host.hostname, a.hostId);
  }
  const allServices = [...services.values()].map((x) => x.s);
  const podVectors = new Map<string, PodIds>();
  for (const [uid, { k, p }] of pods) {
    const pi = podIds(ids, k, p, allServices, nodeHosts);
    if (pi) podVectors.set(uid, pi);
  }

  for (const a of agents) {
    const hostId = ids.hosts.get(hostUid(a.report.host)) ?? a.hostId;
    const host = tagVector({ host: hostId });
    const ai: AgentIndex = { host, byPid: new Map(), listen: new Map(), ownIps: new Set() };
    for (const i of a.report.interfaces)
      for (const cidr of i.ips) {
        const key = ipKey(addr(cidr));
        // Loopback means "this host" only to the agent that saw it (see enrich.ts).
        if (key === undefined || isLoopbackKey(key)) continue;
        ai.ownIps.add(key);
        hostIps.add(key);
        index.byIp.set(key, host);
      }
    const podOfContainer = new Map(a.report.containers.map((c) => [c.id, c.podUid]));
    for (const p of a.report.processes) {
      const gprocess = ids.processes.get(processKey(hostId, p.pid, p.startTime));
      if (gprocess === undefined) continue;
      const podUid = p.podUid || (p.containerId ? podOfContainer.get(p.containerId) : '') || '';
      const pi = podUid ? podVectors.get(podUid) : undefined;
      const v = tagVector({
        ...(pi ?? {}),
        host: hostId,
        gprocess,
        container: p.containerId ? ids.containers.get(p.containerId) : undefined,
      });
      ai.byPid.set(p.pid, v);
      for (const l of p.listen) if (!ai.listen.has(l.port)) ai.listen.set(l.port, v);
    }
    index.agents.set(a.agentId, ai);
  }

  for (const [uid, { p }] of pods) {
    const pi = podVectors.get(uid);
    if (!pi) continue;
    const v = tagVector(pi);
    for (const ip of p.ips) {
      const key = ipKey(ip);
      // hostNetwork pods share the node's address: that address stays the host's.
      if (key !== undefined && !hostIps.has(key)) index.byIp.set(key, v);
    }
  }
  for (const { k, s } of services.values()) {
    const cid = ids.clusters.get(k.cluster.name || k.cluster.uid || 'default');
    const ns = cid === undefined ? undefined : ids.namespaces.get(`${cid}/${s.namespace}`);
    const service = ns === undefined ? undefined : ids.services.get(`${ns}/${s.name}`);
    if (service === undefined) continue;
    const v = tagVector({ service, pod_ns: ns, pod_cluster: cid });
    for (const ip of s.clusterIps) {
      const key = ipKey(ip);
      if (key !== undefined && ip !== 'None') index.byIp.set(key, v);
    }
  }
  return index;
}
