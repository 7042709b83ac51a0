/** Builders for the tags every flow table shares: resources on both ends, auto tags, network. */
import { RESOURCES, type ResourceKind } from '../resources';
import type { CustomTagFamily, EnumValue, TagDef, TagType } from '../types';

const END_TEXT = ['client', 'server'] as const;

export const tag = (
  name: string,
  type: TagType,
  column: string,
  description: string,
  values?: readonly EnumValue[],
): TagDef => ({ name, type, description, source: { kind: 'column', column }, ...(values ? { values } : {}) });

/** `<name>_0`, `<name>_1` and `<name>` (either end; server end when grouped). */
export function pair(name: string, make: (end: 0 | 1) => TagDef, aliases?: readonly string[]): TagDef[] {
  const e0 = make(0);
  const e1 = make(1);
  const base = e1.description.replace(/ \(server\)$/, '');
  const either: TagDef = {
    name,
    type: e1.type,
    description: `${base} (either end in filters, server end when grouped)`,
    source: { kind: 'either', ends: [e0, e1] },
    ...(e1.values ? { values: e1.values } : {}),
    ...(aliases ? { aliases } : {}),
  };
  const withAlias = (t: TagDef, end: 0 | 1): TagDef =>
    aliases ? { ...t, aliases: aliases.map((a) => `${a}_${end}`) } : t;
  return [withAlias(e0, 0), withAlias(e1, 1), either];
}

export function resourceTags(kind: ResourceKind, aliases?: readonly string[]): TagDef[] {
  const what = RESOURCES[kind].description;
  return [
    ...pair(
      kind,
      (end) => ({
        name: `${kind}_${end}`,
        type: 'resource',
        description: `${what} (${END_TEXT[end]})`,
        source: { kind: 'resource', resource: kind, idColumn: `${kind}_id_${end}` },
      }),
      aliases,
    ),
    ...pair(`${kind}_id`, (end) =>
      tag(`${kind}_id_${end}`, 'int', `${kind}_id_${end}`, `id of the ${what} (${END_TEXT[end]})`),
    ),
  ];
}

export function autoTags(family: 'auto_instance' | 'auto_service'): TagDef[] {
  const what =
    family === 'auto_instance'
      ? 'most specific instance: pod > process > host > IP'
      : 'most specific service: service > workload > process > host > IP';
  const types =
    family === 'auto_instance'
      ? (['ip', 'internet', 'pod', 'gprocess', 'container', 'host', 'pod_node'] as const)
      : (['ip', 'internet', 'service', 'pod_group', 'gprocess', 'host'] as const);
  return [
    ...pair(family, (end) => ({
      name: `${family}_${end}`,
      type: 'resource',
      description: `${what} (${END_TEXT[end]})`,
      source: {
        kind: 'auto',
        idColumn: `${family}_id_${end}`,
        typeColumn: `${family}_type_${end}`,
        ipColumn: `ip_${end}`,
        types,
      },
    })),
    ...pair(`${family}_id`, (end) =>
      tag(`${family}_id_${end}`, 'int', `${family}_id_${end}`, `id of the ${family} (${END_TEXT[end]})`),
    ),
    ...pair(`${family}_type`, (end) =>
      tag(
        `${family}_type_${end}`,
        'int',
        `${family}_type_${end}`,
        `type code of the ${family} (${END_TEXT[end]})`,
      ),
    ),
  ];
}

/** The universal resource tags of §2.5 on both ends. */
export function universalTags(): TagDef[] {
  return [
    ...autoTags('auto_instance'),
    ...autoTags('auto_service'),
    ...resourceTags('host'),
    ...resourceTags('gprocess', ['process']),
    ...resourceTags('container'),
    ...resourceTags('pod'),
    ...resourceTags('pod_ns'),
    ...resourceTags('pod_group'),
    ...resourceTags('pod_node'),
    ...resourceTags('pod_cluster'),
    ...resourceTags('service'),
    ...resourceTags('subnet'),
    ...resourceTags('vpc'),
    ...pair('ip', (end) => tag(`ip_${end}`, 'ip', `ip_${end}`, `IP address (${END_TEXT[end]})`)),
  ];
}

export const CUSTOM_TAG_FAMILIES: readonly CustomTagFamily[] = [
  { prefix: 'k8s.label.', resource: 'pod', idStem: 'pod_id', description: 'Kubernetes pod label' },
  { prefix: 'k8s.annotation.', resource: 'pod', idStem: 'pod_id', description: 'Kubernetes pod annotation' },
  { prefix: 'k8s.env.', resource: 'pod', idStem: 'pod_id', description: 'environment variable of the pod' },
  {
    prefix: 'os.env.',
    resource: 'gprocess',
    idStem: 'gprocess_id',
    description: 'environment variable of the process',
  },
  {
    prefix: 'process.env.',
    keyPrefix: 'os.env.',
    resource: 'gprocess',
    idStem: 'gprocess_id',
    description: 'environment variable of the process (same as os.env.)',
  },
];
