/**
 * The `flow_tag` dictionaries queries decode ids with (PRODUCT.md §2.5, §3.4). The tag-sync
 * job owns their sources and refresh; this file is the contract both sides read:
 *
 *   flow_tag.<kind>_map             key id UInt64                -> name String
 *   flow_tag.<kind>_custom_tag_map  key (id UInt64, key String)  -> value String
 *
 * Custom-tag keys carry their full tag prefix, e.g. `k8s.label.app`, `k8s.annotation.team`,
 * `k8s.env.LANG` (pod) or `os.env.LANG` (process), so one dictionary per resource serves
 * every category.
 */
import { RESOURCE_KINDS, type ResourceKind } from './resources';

export const TAG_DATABASE = 'flow_tag';

export const nameDictionary = (kind: ResourceKind): string => `${TAG_DATABASE}.${kind}_map`;
export const customTagDictionary = (kind: ResourceKind): string => `${TAG_DATABASE}.${kind}_custom_tag_map`;

/** Resources that have a custom-tag dictionary. */
export const CUSTOM_TAG_RESOURCES: readonly ResourceKind[] = ['pod', 'gprocess'];

export interface DictionarySpec {
  readonly name: string;
  readonly keys: readonly { name: string; type: string }[];
  readonly attributes: readonly { name: string; type: string }[];
  readonly layout: 'HASHED' | 'COMPLEX_KEY_HASHED';
}

export const DICTIONARIES: readonly DictionarySpec[] = [
  ...RESOURCE_KINDS.map(
    (k): DictionarySpec => ({
      name: nameDictionary(k),
      keys: [{ name: 'id', type: 'UInt64' }],
      attributes: [{ name: 'name', type: 'String' }],
      layout: 'HASHED',
    }),
  ),
  ...CUSTOM_TAG_RESOURCES.map(
    (k): DictionarySpec => ({
      name: customTagDictionary(k),
      keys: [
        { name: 'id', type: 'UInt64' },
        { name: 'key', type: 'String' },
      ],
      attributes: [{ name: 'value', type: 'String' }],
      layout: 'COMPLEX_KEY_HASHED',
    }),
  ),
];

/**
 * CREATE DICTIONARY statement for a spec; `source` is the server-side SOURCE(...) clause
 * (e.g. `CLICKHOUSE(DB 'flow_tag' TABLE 'pod_src')` or `MYSQL(...)`), never user input.
 */
export function dictionaryDdl(spec: DictionarySpec, source: string, lifetime = '60'): string {
  const cols = [...spec.keys, ...spec.attributes].map((c) => `${c.name} ${c.type}`).join(', ');
  const pk = spec.keys.map((c) => c.name).join(', ');
  return `CREATE DICTIONARY IF NOT EXISTS ${spec.name} (${cols}) PRIMARY KEY ${pk} SOURCE(${source}) LIFETIME(${lifetime}) LAYOUT(${spec.layout}())`;
}

/** ClickHouse expression decoding a resource id column into its name ('' when unknown). */
export const nameLookupSql = (kind: ResourceKind, idSql: string): string =>
  `dictGetOrDefault('${nameDictionary(kind)}', 'name', toUInt64(${idSql}), '')`;

/** ClickHouse expression reading one custom tag; `keySql` is a bound parameter placeholder. */
export const customTagLookupSql = (kind: ResourceKind, idSql: string, keySql: string): string =>
  `dictGetOrDefault('${customTagDictionary(kind)}', 'value', (toUInt64(${idSql}), ${keySql}), '')`;

/** Display form of an IPv6 column holding IPv4-mapped addresses. */
export const ipTextSql = (ipSql: string): string => `replaceRegexpOne(toString(${ipSql}), '^::ffff:', '')`;
