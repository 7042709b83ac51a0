/**
 * Kubernetes API objects -> the few fields the resource report carries. Everything read
 * from the server is treated as untrusted JSON and bounded.
 */
import type {
  K8sNamespaceInfo,
  K8sNodeInfo,
  K8sOwner,
  K8sPodContainer,
  K8sPodInfo,
  K8sServiceInfo,
  K8sServicePort,
  K8sWorkloadInfo,
  WorkloadKind,
} from '@zeroscope/wire/resources';
import { boundedMap, boundedStrings, str, uint } from '../bounds';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.slice(0, 256).map(obj) : []);

/** Annotations that are whole manifests, not tags. */
const SKIP_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision-history',
]);

function meta(o: Obj) {
  const m = obj(o.metadata);
  return {
    uid: str(m.uid),
    name: str(m.name),
    namespace: str(m.namespace),
    labels: boundedMap(m.labels),
    annotations: boundedMap(m.annotations, SKIP_ANNOTATIONS),
    owners: arr(m.ownerReferences),
  };
}

/** The controller owner reference (controller: true), else the first one. */
function controllerOf(owners: Obj[]): K8sOwner | undefined {
  const o = owners.find((r) => r.controller === true) ?? owners[0];
  return o ? { kind: str(o.kind), name: str(o.name), uid: str(o.uid) } : undefined;
}

export function projectNamespace(o: Obj): K8sNamespaceInfo | undefined {
  const m = meta(o);
  if (!m.name) return undefined;
  return { uid: m.uid, name: m.name, labels: m.labels, annotations: m.annotations };
}

export function projectNode(o: Obj): K8sNodeInfo | undefined {
  const m = meta(o);
  if (!m.name) return undefined;
  const ips = arr(obj(o.status).addresses)
    .filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP')
    .map((a) => str(a.address))
    .filter(Boolean);
  return { uid: m.uid, name: m.name, ips, labels: m.labels, annotations: m.annotations };
}

export const workloadProjector =
  (kind: WorkloadKind) =>
  (o: Obj): K8sWorkloadInfo | undefined => {
    const m = meta(o);
    if (!m.name || !m.namespace) return undefined;
    const w: K8sWorkloadInfo = {
      uid: m.uid,
      kind,
      name: m.name,
      namespace: m.namespace,
      labels: m.labels,
      annotations: m.annotations,
    };
    const owner = controllerOf(m.owners);
    if (owner) w.owner = owner;
    return w;
  };

/** `containerd://<id>` -> `<id>` (the cgroup id the processes carry). */
export const runtimeId = (containerID: unknown): string => str(containerID).replace(/^[a-z0-9-]+:\/\//, '');

export function projectPod(o: Obj): K8sPodInfo | undefined {
  const m = meta(o);
  if (!m.uid || !m.name) return undefined;
  const spec = obj(o.spec);
  const status = obj(o.status);
  const images = new Map(arr(spec.containers).map((c) => [str(c.name), str(c.image)]));
  const statuses = [...arr(status.initContainerStatuses), ...arr(status.containerStatuses)];
  const containers: K8sPodContainer[] = statuses.map((c) => ({
    name: str(c.name),
    id: runtimeId(c.containerID),
    image: str(c.image) || images.get(str(c.name)) || '',
  }));
  for (const [name, image] of images)
    if (!containers.some((c) => c.name === name)) containers.push({ name, id: '', image });
  const ips = arr(status.podIPs)
    .map((p) => str(p.ip))
    .filter(Boolean);
  if (ips.length === 0 && str(status.podIP)) ips.push(str(status.podIP));
  const pod: K8sPodInfo = {
    uid: m.uid,
    name: m.name,
    namespace: m.namespace,
    node: str(spec.nodeName),
    phase: str(status.phase),
    ips,
    containers: containers.slice(0, 256),
    labels: m.labels,
    annotations: m.annotations,
  };
  const owner = controllerOf(m.owners);
  if (owner) pod.owner = owner;
  return pod;
}

export function projectService(o: Obj): K8sServiceInfo | undefined {
  const m = meta(o);
  if (!m.name || !m.namespace) return undefined;
  const spec = obj(o.spec);
  const clusterIps = boundedStrings(spec.clusterIPs);
  if (clusterIps.length === 0 && str(spec.clusterIP)) clusterIps.push(str(spec.clusterIP));
  const headless = clusterIps.length === 1 && clusterIps[0] === 'None';
  const ports: K8sServicePort[] = arr(spec.ports).map((p) => ({
    name: str(p.name),
    protocol: str(p.protocol) || 'TCP',
    port: uint(p.port),
    targetPort: typeof p.targetPort === 'number' ? String(p.targetPort) : str(p.targetPort),
    nodePort: uint(p.nodePort),
  }));
  return {
    uid: m.uid,
    name: m.name,
    namespace: m.namespace,
    type: headless ? 'Headless' : str(spec.type) || 'ClusterIP',
    clusterIps: headless ? [] : clusterIps,
    selector: boundedMap(spec.selector),
    ports,
    labels: m.labels,
    annotations: m.annotations,
  };
}
