/**
 * What an agent discovered about its node (PRODUCT.md §2.5): host, interfaces, processes,
 * containers and, in Kubernetes, the cluster objects it watches. The agent sends a full
 * report after each connect and deltas afterwards (see resources-diff.ts); the API keeps
 * the last report per agent and records it in the resource store (prisma/schema.prisma).
 *
 * Every string map holds plain strings; `''` stands for "unknown" so rows compare simply.
 */

export interface HostInfo {
  hostname: string;
  /** /etc/machine-id: stable across reboots; the Host.uid */
  machineId: string;
  /** /proc/sys/kernel/random/boot_id: changes on every boot */
  bootId: string;
  kernel: string;
  /** PRETTY_NAME of /etc/os-release */
  os: string;
  arch: string;
  cpuCount: number;
  memoryBytes: number;
}

export interface InterfaceInfo {
  name: string;
  /** lowercase aa:bb:..., '' when the interface has none (lo, tun) */
  mac: string;
  /** CIDR notation, e.g. 10.0.0.5/24, fe80::1/64 */
  ips: string[];
}

export interface ListenSocket {
  proto: 'tcp' | 'tcp6';
  /** bound address ('0.0.0.0', '::', '127.0.0.1', ...) */
  ip: string;
  port: number;
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** µs since the epoch; (pid, startTime) survives pid reuse */
  startTime: number;
  comm: string;
  /** NUL separators replaced by spaces, bounded to RESOURCE_LIMITS.cmdline */
  cmdline: string;
  exe: string;
  uid: number;
  /** the process's cgroup path (v2 unified, or v1 pids/cpu controller) */
  cgroup: string;
  /** container id (64 hex) or '' */
  containerId: string;
  /** Kubernetes pod uid read from the cgroup path, or '' */
  podUid: string;
  /** allowlisted environment variables; names matching SECRET_ENV_RE never appear */
  env: Record<string, string>;
  listen: ListenSocket[];
}

export type ContainerRuntime = 'docker' | 'containerd' | 'cri-o' | 'podman' | 'unknown';

export interface ContainerInfo {
  id: string;
  runtime: ContainerRuntime;
  /** from runtime metadata when readable, else '' */
  name: string;
  image: string;
  podUid: string;
  labels: Record<string, string>;
}

export interface K8sOwner {
  kind: string;
  name: string;
  uid: string;
}

export interface K8sNodeInfo {
  uid: string;
  name: string;
  /** status.addresses of type InternalIP/ExternalIP */
  ips: string[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface K8sNamespaceInfo {
  uid: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export const WORKLOAD_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export interface K8sWorkloadInfo {
  uid: string;
  kind: WorkloadKind;
  name: string;
  namespace: string;
  /** controlling owner (a ReplicaSet's Deployment, a Job's CronJob), if any */
  owner?: K8sOwner;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface K8sPodContainer {
  name: string;
  /** runtime id without the `containerd://` prefix, '' until started */
  id: string;
  image: string;
}

export interface K8sPodInfo {
  uid: string;
  name: string;
  namespace: string;
  node: string;
  phase: string;
  ips: string[];
  containers: K8sPodContainer[];
  /** the pod's controlling owner as written in metadata.ownerReferences */
  owner?: K8sOwner;
  /** the top controller after resolution: pod -> ReplicaSet -> Deployment, Job -> CronJob */
  workload?: K8sOwner;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface K8sServicePort {
  name: string;
  protocol: string;
  port: number;
  /** number or named port, as a string */
  targetPort: string;
  nodePort: number;
}

export interface K8sServiceInfo {
  uid: string;
  name: string;
  namespace: string;
  /** ClusterIP | NodePort | LoadBalancer | ExternalName | Headless */
  type: string;
  clusterIps: string[];
  selector: Record<string, string>;
  ports: K8sServicePort[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface K8sClusterInfo {
  /** configured name, else the kube-system namespace uid */
  name: string;
  /** uid of the kube-system namespace, '' until seen */
  uid: string;
}

export interface K8sReport {
  cluster: K8sClusterInfo;
  nodes: K8sNodeInfo[];
  namespaces: K8sNamespaceInfo[];
  workloads: K8sWorkloadInfo[];
  pods: K8sPodInfo[];
  services: K8sServiceInfo[];
}

export interface ResourceReport {
  /** µs since the epoch when the report was taken */
  time: number;
  host: HostInfo;
  interfaces: InterfaceInfo[];
  processes: ProcessInfo[];
  containers: ContainerInfo[];
  k8s?: K8sReport;
}

/** added/changed carry whole items; removed carries their keys (see RESOURCE_KEYS). */
export interface CollectionDelta<T> {
  added: T[];
  changed: T[];
  removed: string[];
}

export interface K8sDelta {
  cluster?: K8sClusterInfo;
  nodes?: CollectionDelta<K8sNodeInfo>;
  namespaces?: CollectionDelta<K8sNamespaceInfo>;
  workloads?: CollectionDelta<K8sWorkloadInfo>;
  pods?: CollectionDelta<K8sPodInfo>;
  services?: CollectionDelta<K8sServiceInfo>;
}

/** Only what changed since the previous report on the same connection; absent = unchanged. */
export interface ResourceDelta {
  time: number;
  host?: HostInfo;
  interfaces?: CollectionDelta<InterfaceInfo>;
  processes?: CollectionDelta<ProcessInfo>;
  containers?: CollectionDelta<ContainerInfo>;
  k8s?: K8sDelta;
}

/**
 * JSON control frame on /v1/agent. `seq` restarts at 0 with every full report and grows by
 * one per delta, so the API can tell a delta that does not follow its state (then it waits
 * for the next full report, which the agent sends on every reconnect).
 */
export type ResourcesFrame =
  | { type: 'resources'; full: true; seq: number; report: ResourceReport }
  | { type: 'resources'; full: false; seq: number; delta: ResourceDelta };

/** Identity of an item within its collection: what `removed` lists and the API upserts by. */
export const RESOURCE_KEYS = {
  interfaces: (i: InterfaceInfo) => i.name,
  processes: (p: ProcessInfo) => `${p.pid}:${p.startTime}`,
  containers: (c: ContainerInfo) => c.id,
  nodes: (n: K8sNodeInfo) => n.name,
  namespaces: (n: K8sNamespaceInfo) => n.name,
  workloads: (w: K8sWorkloadInfo) => `${w.namespace}/${w.kind}/${w.name}`,
  pods: (p: K8sPodInfo) => p.uid,
  services: (s: K8sServiceInfo) => `${s.namespace}/${s.name}`,
} as const;

/** Bounds the agent enforces when building reports and the API checks on receipt. */
export const RESOURCE_LIMITS = {
  /** a resources frame larger than this is refused */
  frameBytes: 8 * 1024 * 1024,
  /** items per collection */
  items: 50_000,
  cmdline: 4096,
  /** any other string */
  string: 1024,
  /** entries per string map (env, labels, annotations, selector) */
  mapEntries: 256,
  /** entries per small array (ips, listen, ports, containers) */
  arrayEntries: 256,
} as const;

/**
 * Environment variable names never shipped, whatever the allowlist says. Applied by the
 * agent and again by the API check.
 */
export const SECRET_ENV_RE = /pass|secret|token|key|credential|auth|cookie|private/i;
