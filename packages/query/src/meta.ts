/** SHOW statements: catalog listings answered here, tag values answered by emitted SQL. */
import { customTagDictionary, listTags, nameDictionary, TABLES, type TableDef } from '@zeroscope/tags';
import type { Expr, ShowStmt } from './ast';
import type { Params } from './params';
import type { Scope } from './scope';
import { compileSelect, type SelectOptions } from './select';
import { serverEnd } from './tagsql';

export interface MetaResult {
  readonly kind: 'meta';
  readonly columns: string[];
  readonly values: unknown[][];
}

export function showCatalog(stmt: ShowStmt, table: TableDef | undefined): MetaResult | undefined {
  if (stmt.kind === 'show_tables') {
    return {
      kind: 'meta',
      columns: ['name', 'description'],
      values: TABLES.map((t) => [t.name, t.description]),
    };
  }
  if (!table) return undefined;
  if (stmt.kind === 'show_tags') {
    return {
      kind: 'meta',
      columns: ['name', 'type', 'description'],
      values: listTags(table).map((t) => [t.name, t.type, t.description]),
    };
  }
  if (stmt.kind === 'show_metrics') {
    return {
      kind: 'meta',
      columns: ['name', 'type', 'unit', 'description'],
      values: table.metrics.map((m) => [m.name, m.type, m.unit, m.description]),
    };
  }
  return undefined;
}

/** SHOW TAG t VALUES: dictionary contents for resources, observed values otherwise. */
export function showTagValues(
  stmt: Extract<ShowStmt, { kind: 'show_tag_values' }>,
  scope: Scope,
  params: Params,
  opts: SelectOptions,
): MetaResult | { sql: string; columns: string[] } {
  const tag = scope.tag(stmt.tag.value);
  if (!tag) throw scope.unknown(stmt.tag.value, stmt.tag.pos);
  const limit = Math.min(stmt.limit?.value ?? opts.maxRows, opts.maxRows);
  const end = serverEnd(tag);
  const s = end.source;
  if (tag.type === 'enum' && tag.values) {
    const values = tag.values.filter((v) => !stmt.like || likeToRegExp(stmt.like.value).test(v.value));
    return {
      kind: 'meta',
      columns: ['value', 'description'],
      values: values.slice(0, limit).map((v) => [v.value, v.description]),
    };
  }
  const like = (col: string) =>
    stmt.like ? ` WHERE ${col} LIKE ${params.bind(stmt.like.value, 'String')}` : '';
  if (s.kind === 'resource') {
    return {
      sql: `SELECT name AS c0, toUInt64(id) AS c1 FROM ${nameDictionary(s.resource)}${like('name')} ORDER BY c0 LIMIT ${params.bind(limit, 'UInt64')}`,
      columns: ['value', 'id'],
    };
  }
  if (s.kind === 'custom') {
    const key = `key = ${params.bind(s.key, 'String')}`;
    const cond = stmt.like ? `${key} AND value LIKE ${params.bind(stmt.like.value, 'String')}` : key;
    return {
      sql: `SELECT DISTINCT value AS c0 FROM ${customTagDictionary(s.resource)} WHERE ${cond} ORDER BY c0 LIMIT ${params.bind(limit, 'UInt64')}`,
      columns: ['value'],
    };
  }
  const pos = stmt.tag.pos;
  const name: Expr = { kind: 'name', name: end.name, pos };
  const count: Expr = { kind: 'call', name: 'count', args: [], pos };
  const where = stmt.like
    ? ({
        kind: 'like',
        negated: false,
        caseInsensitive: false,
        left: name,
        right: { kind: 'string', value: stmt.like.value, pos },
        pos,
      } as const)
    : undefined;
  return compileSelect(
    {
      kind: 'select',
      items: [
        { expr: name, alias: 'value', pos },
        { expr: count, alias: 'count', pos },
      ],
      from: stmt.from,
      groupBy: [name],
      orderBy: [{ expr: { kind: 'name', name: 'count', pos }, desc: true, pos }],
      limit: { value: limit, pos },
      ...(where ? { where } : {}),
    },
    scope.table,
    params,
    opts,
  );
}

function likeToRegExp(pattern: string): RegExp {
  const re = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${re}$`, 'i');
}
