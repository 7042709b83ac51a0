/**
 * Links samples, spans and logs from other tools to resources (PRODUCT.md §2.5: "Prometheus/
 * OTel data is linked to resources by its pod/instance/service labels"). Resource names come
 * from the flow_tag dictionary sources the tag sync fills; a label or resource attribute that
 * names a known pod, namespace, workload, service or host yields its id, and the most
 * specific one becomes auto_instance / auto_service, as for eBPF records.
 */
import { AUTO_TYPE } from '@zeroscope/tags';
import type { Column } from '@zeroscope/wire/columns';

/** The one-ended tag id columns intake rows carry. */
export const INTAKE_TAG_NAMES = [
  'host_id',
  'pod_id',
  'pod_ns_id',
  'pod_group_id',
  'service_id',
  'auto_instance_id',
  'auto_instance_type',
  'auto_service_id',
  'auto_service_type',
] as const;
export type IntakeTagName = (typeof INTAKE_TAG_NAMES)[number];
export type IntakeTags = Record<IntakeTagName, number>;

export const INTAKE_TAG_COLUMNS: readonly Column[] = INTAKE_TAG_NAMES.map((name) => ({ name, type: 'u32' }));

type Kind = 'host' | 'pod' | 'pod_ns' | 'pod_group' | 'service';
const KINDS: readonly Kind[] = ['host', 'pod', 'pod_ns', 'pod_group', 'service'];

/** Label names (Prometheus) and resource attributes (OTel, dots as in the spec) per resource. */
export const NAME_KEYS: Record<Kind, readonly string[]> = {
  pod: ['pod', 'pod_name', 'k8s_pod_name', 'kubernetes_pod_name', 'k8s.pod.name'],
  pod_ns: ['namespace', 'k8s_namespace_name', 'kubernetes_namespace', 'k8s.namespace.name'],
  pod_group: ['workload', 'deployment', 'k8s_deployment_name', 'k8s.deployment.name', 'k8s.statefulset.name'],
  service: ['service', 'service_name', 'k8s_service_name', 'job', 'service.name'],
  host: ['node', 'nodename', 'hostname', 'host', 'host_name', 'instance', 'host.name', 'k8s.node.name'],
};

export type NameLookup = (kind: Kind, name: string) => number | undefined;

const ZERO: IntakeTags = Object.fromEntries(INTAKE_TAG_NAMES.map((n) => [n, 0])) as IntakeTags;

/** Pure: tag ids for a set of labels/attributes. `instance` is `host:port`; the port is dropped. */
export function resolveTags(get: (key: string) => string | undefined, lookup: NameLookup): IntakeTags {
  const t: IntakeTags = { ...ZERO };
  for (const kind of KINDS)
    for (const key of NAME_KEYS[kind]) {
      let v = get(key);
      if (!v) continue;
      if (key === 'instance') v = v.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
      const id = lookup(kind, v);
      if (id) {
        t[`${kind}_id`] = id;
        break;
      }
    }
  if (t.pod_id) [t.auto_instance_id, t.auto_instance_type] = [t.pod_id, AUTO_TYPE.pod];
  else if (t.host_id) [t.auto_instance_id, t.auto_instance_type] = [t.host_id, AUTO_TYPE.host];
  if (t.service_id) [t.auto_service_id, t.auto_service_type] = [t.service_id, AUTO_TYPE.service];
  else if (t.pod_group_id) [t.auto_service_id, t.auto_service_type] = [t.pod_group_id, AUTO_TYPE.pod_group];
  else if (t.host_id) [t.auto_service_id, t.auto_service_type] = [t.host_id, AUTO_TYPE.host];
  return t;
}

/** What the cache needs from the telemetry store. */
export interface NameSource {
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
}

/** Resource names by kind, reloaded from flow_tag at most every `ttlMs`. */
export class ResourceNames {
  private maps = new Map<Kind, Map<string, number>>();
  private loadedAt = 0;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly src: NameSource,
    private readonly ttlMs = 15_000,
  ) {}

  /** Refreshes when stale; a failed load keeps the old names (linking is best effort). */
  async fresh(): Promise<NameLookup> {
    if (Date.now() - this.loadedAt > this.ttlMs) {
      this.loading ??= this.load().finally(() => {
        this.loading = undefined;
      });
      await this.loading;
    }
    return (kind, name) => this.maps.get(kind)?.get(name);
  }

  private async load(): Promise<void> {
    const next = new Map<Kind, Map<string, number>>();
    try {
      for (const kind of KINDS) {
        const rows = await this.src.query<{ id: number; name: string }>(
          `SELECT toUInt32(id) AS id, name FROM flow_tag.${kind}_map_src FINAL WHERE name != '' LIMIT 1000000`,
        );
        next.set(kind, new Map(rows.map((r) => [r.name, Number(r.id)])));
      }
      this.maps = next;
    } catch {
      // keep the previous names
    }
    this.loadedAt = Date.now();
  }
}
