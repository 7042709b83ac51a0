/**
 * SQL for one concrete (single-end) tag. Identifiers come only from the catalog; the only
 * user-controlled parts are bound parameters produced by `Params`.
 */
import {
  AUTO_TYPE,
  AUTO_TYPE_RESOURCE,
  customTagDictionary,
  customTagLookupSql,
  ipTextSql,
  nameDictionary,
  nameLookupSql,
  type TagDef,
} from '@zeroscope/tags';
import type { Params } from './params';

/** A tag with `either` already resolved to one end. */
export type EndTag = TagDef & { readonly source: Exclude<TagDef['source'], { kind: 'either' }> };

export const serverEnd = (t: TagDef): EndTag =>
  t.source.kind === 'either' ? (t.source.ends[1] as EndTag) : (t as EndTag);

/**
 * Record times are stored as DateTime64(6) (apps/api storage schema, PRODUCT.md §3.4) and
 * are µs integers in the language, as on the wire.
 */
const TIME_COLUMNS = new Set(['start_time', 'end_time']);
export const micros = (col: string): string => `toUnixTimestamp64Micro(${col})`;

const IP_TYPES = `(${AUTO_TYPE.ip}, ${AUTO_TYPE.internet})`;

/** Row-level expressions that identify the tag's value: what grouping happens on. */
export function keyParts(t: EndTag, p: Params): string[] {
  const s = t.source;
  switch (s.kind) {
    case 'column':
      return [TIME_COLUMNS.has(s.column) ? micros(s.column) : s.column];
    case 'seconds':
      return [`intDiv(${micros(s.column)}, 1000000)`];
    case 'resource':
      return [s.idColumn];
    case 'auto':
      // The IP joins the key only for ip-typed rows; as UInt128 it hashes ~4x faster than IPv6.
      return [
        s.idColumn,
        s.typeColumn,
        `if(${s.typeColumn} IN ${IP_TYPES}, toUInt128(${s.ipColumn}), toUInt128(0))`,
      ];
    case 'custom':
      return [customTagLookupSql(s.resource, s.idColumn, p.bind(s.key, 'String'))];
  }
}

/** The displayed value, computed from the inner query's key columns `refs`. */
export function decodeSql(t: EndTag, refs: readonly string[]): string {
  const s = t.source;
  const [a, b, c] = refs as [string, string, string];
  if (s.kind === 'resource') return nameLookupSql(s.resource, a);
  if (s.kind === 'auto') return autoNameSql(s.types, a, b, c);
  if (t.type === 'ip') return ipTextSql(a);
  return a;
}

function autoNameSql(
  types: readonly (keyof typeof AUTO_TYPE)[],
  id: string,
  type: string,
  ip: string,
): string {
  const arms = [`${type} IN ${IP_TYPES}`, ipTextSql(`CAST(${ip} AS IPv6)`)];
  for (const ty of types) {
    const r = AUTO_TYPE_RESOURCE[ty];
    if (r) arms.push(`${type} = ${AUTO_TYPE[ty]}`, nameLookupSql(r, id));
  }
  return `multiIf(${arms.join(', ')}, '')`;
}

/** Row-level expression to sort by: names for decoded tags, the value otherwise. */
export function sortSql(t: EndTag, parts: readonly string[]): string {
  if (t.type === 'ip') return parts[0]!;
  return decodeSql(t, parts);
}

export type NameOp = { op: '=' | 'in' | 'like' | 'ilike'; values: string[] };

/** `x = {p}` / `x IN ({p}, ...)` / `x LIKE {p}` over an already bound value list. */
export function namePredicate(x: string, op: NameOp['op'], bound: readonly string[]): string {
  if (op === 'in') return `${x} IN (${bound.join(', ')})`;
  if (op === 'like') return `${x} LIKE ${bound[0]}`;
  if (op === 'ilike') return `${x} ILIKE ${bound[0]}`;
  return `${x} = ${bound[0]}`;
}

/**
 * Positive filter on a decoded tag's name: an id lookup through the dictionary, so the fact
 * table is scanned on its integer column only.
 */
export function nameFilterSql(
  t: EndTag,
  op: NameOp['op'],
  bound: readonly string[],
  p: Params,
): string | undefined {
  const s = t.source;
  if (s.kind === 'resource') {
    return `${s.idColumn} IN (SELECT id FROM ${nameDictionary(s.resource)} WHERE ${namePredicate('name', op, bound)})`;
  }
  if (s.kind === 'custom') {
    const key = p.bind(s.key, 'String');
    return `${s.idColumn} IN (SELECT id FROM ${customTagDictionary(s.resource)} WHERE key = ${key} AND ${namePredicate('value', op, bound)})`;
  }
  if (s.kind === 'auto') {
    const subs: string[] = [];
    for (const ty of s.types) {
      const r = AUTO_TYPE_RESOURCE[ty];
      if (r)
        subs.push(
          `SELECT ${AUTO_TYPE[ty]}, id FROM ${nameDictionary(r)} WHERE ${namePredicate('name', op, bound)}`,
        );
    }
    const byIp = `(${s.typeColumn} IN ${IP_TYPES} AND ${namePredicate(ipTextSql(s.ipColumn), op, bound)})`;
    return `((${s.typeColumn}, ${s.idColumn}) IN (${subs.join(' UNION ALL ')}) OR ${byIp})`;
  }
  return undefined;
}
