/** Lookup over the logical tables: the whitelist the query compiler resolves names against. */
import { METRIC_TABLE_DEFS } from './tables/flow-metrics';
import { L4_FLOW_LOG } from './tables/l4';
import { L7_FLOW_LOG } from './tables/l7';
import { PROFILE } from './tables/profile';
import type { MetricDef, TableDef, TagDef } from './types';

export const TABLES: readonly TableDef[] = [L7_FLOW_LOG, L4_FLOW_LOG, ...METRIC_TABLE_DEFS, PROFILE];

const byName = new Map(TABLES.map((t) => [t.name, t]));

export const getTable = (name: string): TableDef | undefined => byName.get(name);

const tagIndex = new Map<TableDef, Map<string, TagDef>>();
function tagsOf(table: TableDef): Map<string, TagDef> {
  let m = tagIndex.get(table);
  if (!m) {
    m = new Map();
    for (const t of table.tags) {
      m.set(t.name, t);
      for (const a of t.aliases ?? []) m.set(a, t);
    }
    tagIndex.set(table, m);
  }
  return m;
}

/** Custom-tag keys: Kubernetes label/annotation syntax plus env-var names. */
export const CUSTOM_KEY_RE = /^[A-Za-z0-9_][A-Za-z0-9_.\-/]{0,252}$/;

/**
 * Finds a tag by name, including custom tags `<prefix><key>[_0|_1]`. A trailing `_0`/`_1`
 * on a custom tag always names the end, so a key that itself ends in `_0` must be written
 * with an explicit end (`k8s.label.x_0_1`).
 */
export function findTag(table: TableDef, name: string): TagDef | undefined {
  const fixed = tagsOf(table).get(name);
  if (fixed) return fixed;
  for (const fam of table.customTags) {
    if (!name.startsWith(fam.prefix)) continue;
    let key = name.slice(fam.prefix.length);
    const m = /_([01])$/.exec(key);
    const end = m ? (Number(m[1]) as 0 | 1) : undefined;
    if (m) key = key.slice(0, -2);
    if (!CUSTOM_KEY_RE.test(key)) return undefined;
    const mk = (e: 0 | 1): TagDef => ({
      name: `${fam.prefix}${key}_${e}`,
      type: 'custom',
      description: `${fam.description} ${key} (${e ? 'server' : 'client'})`,
      source: {
        kind: 'custom',
        resource: fam.resource,
        key: `${fam.keyPrefix ?? fam.prefix}${key}`,
        idColumn: `${fam.idStem}_${e}`,
      },
    });
    if (end !== undefined) return mk(end);
    if (!table.twoEnded) return mk(1);
    return {
      name: `${fam.prefix}${key}`,
      type: 'custom',
      description: `${fam.description} ${key} (either end in filters, server end when grouped)`,
      source: { kind: 'either', ends: [mk(0), mk(1)] },
    };
  }
  return undefined;
}

export const findMetric = (table: TableDef, name: string): MetricDef | undefined =>
  table.metrics.find((m) => m.name === name);

/** Every fixed tag plus one pattern entry per custom family, for listings and autocomplete. */
export function listTags(table: TableDef): { name: string; type: string; description: string }[] {
  return [
    ...table.tags.map((t) => ({ name: t.name, type: t.type, description: t.description })),
    ...table.customTags.map((f) => ({
      name: `${f.prefix}<key>`,
      type: 'custom',
      description: f.description,
    })),
  ];
}
