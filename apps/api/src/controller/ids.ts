/**
 * Resource-store ids by natural key, shared by every agent's recording: the Prisma
 * autoincrement ids are the int tags written into ClickHouse rows (PRODUCT.md §2.5).
 */
export interface IdMaps {
  /** Host.uid (machine id) */
  hosts: Map<string, number>;
  /** `${hostId}:${pid}:${startTime µs}` of live processes */
  processes: Map<string, number>;
  /** runtime container id */
  containers: Map<string, number>;
  /** cluster name */
  clusters: Map<string, number>;
  /** `${clusterId}/${name}` */
  nodes: Map<string, number>;
  namespaces: Map<string, number>;
  /** `${namespaceId}/${kind}/${name}` */
  workloads: Map<string, number>;
  /** pod uid */
  pods: Map<string, number>;
  /** `${namespaceId}/${name}` */
  services: Map<string, number>;
}

export function emptyIdMaps(): IdMaps {
  return {
    hosts: new Map(),
    processes: new Map(),
    containers: new Map(),
    clusters: new Map(),
    nodes: new Map(),
    namespaces: new Map(),
    workloads: new Map(),
    pods: new Map(),
    services: new Map(),
  };
}

export const processKey = (hostId: number, pid: number, startTime: number): string =>
  `${hostId}:${pid}:${startTime}`;

/** Host.uid of a report: the machine id, or the hostname when a node has none. */
export const hostUid = (h: { machineId: string; hostname: string }): string =>
  h.machineId || `hostname:${h.hostname}`;

/**
 * The process-level service name (auto_service of a process outside Kubernetes, and the
 * gprocess dictionary name): what the process calls itself, else its command name.
 */
export function processServiceName(p: { comm: string; env: Record<string, string> }): string {
  return p.env.OTEL_SERVICE_NAME || p.env.SERVICE_NAME || p.env.ZEROSCOPE_TAG_service || p.comm;
}
