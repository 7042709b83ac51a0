/**
 * The resource model behind the universal tags (PRODUCT.md §2.5). Fact rows carry only the
 * small integer ids below (`<kind>_id_0/_1`, see @zeroscope/wire TAG_ID_NAMES); names and
 * custom tags live in the resource store and reach ClickHouse as `flow_tag.*` dictionaries.
 */

export const RESOURCE_KINDS = [
  'host',
  'gprocess',
  'container',
  'pod',
  'pod_ns',
  'pod_group',
  'pod_node',
  'pod_cluster',
  'service',
  'subnet',
  'vpc',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export interface ResourceInfo {
  readonly kind: ResourceKind;
  /** What the name dictionary's `name` holds, for humans. */
  readonly description: string;
  /** Resource-store model the ids come from (prisma/schema.prisma). */
  readonly model: string;
}

export const RESOURCES: Readonly<Record<ResourceKind, ResourceInfo>> = {
  host: { kind: 'host', description: 'host (VM or bare metal) by hostname', model: 'Host' },
  gprocess: { kind: 'gprocess', description: 'process (global id) by process name', model: 'Process' },
  container: { kind: 'container', description: 'container by name', model: 'Container' },
  pod: { kind: 'pod', description: 'Kubernetes pod', model: 'K8sPod' },
  pod_ns: { kind: 'pod_ns', description: 'Kubernetes namespace', model: 'K8sNamespace' },
  pod_group: {
    kind: 'pod_group',
    description: 'Kubernetes workload (Deployment, StatefulSet, ...)',
    model: 'K8sWorkload',
  },
  pod_node: { kind: 'pod_node', description: 'Kubernetes node', model: 'K8sNode' },
  pod_cluster: { kind: 'pod_cluster', description: 'Kubernetes cluster', model: 'K8sCluster' },
  service: { kind: 'service', description: 'Kubernetes service', model: 'K8sService' },
  subnet: { kind: 'subnet', description: 'subnet', model: 'NetInterface' },
  vpc: { kind: 'vpc', description: 'VPC / network', model: 'NetInterface' },
};

/**
 * Codes written to `auto_instance_type_*` / `auto_service_type_*` next to the polymorphic id
 * in `auto_instance_id_*` / `auto_service_id_*`. Numbers follow DeepFlow's where they overlap
 * so its documentation reads the same. For `ip` and `internet` the id is 0 and the row's
 * `ip_*` column is the instance.
 */
export const AUTO_TYPE = {
  ip: 0,
  host: 3,
  pod: 10,
  service: 11,
  pod_node: 14,
  pod_group: 101,
  gprocess: 120,
  container: 121,
  internet: 255,
} as const;
export type AutoTypeName = keyof typeof AUTO_TYPE;

/** Which resource each auto type's id refers to (ip/internet have none). */
export const AUTO_TYPE_RESOURCE: Readonly<Partial<Record<AutoTypeName, ResourceKind>>> = {
  host: 'host',
  pod: 'pod',
  service: 'service',
  pod_node: 'pod_node',
  pod_group: 'pod_group',
  gprocess: 'gprocess',
  container: 'container',
};

/**
 * Precedence the ingest path uses to fill the auto tags (most specific first).
 * auto_instance: pod > process > host > IP; auto_service: service > workload > process > host > IP.
 */
export const AUTO_INSTANCE_ORDER: readonly AutoTypeName[] = ['pod', 'gprocess', 'host', 'ip'];
export const AUTO_SERVICE_ORDER: readonly AutoTypeName[] = ['service', 'pod_group', 'gprocess', 'host', 'ip'];
