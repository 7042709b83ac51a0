/**
 * SELECT compilation. Shape of the emitted SQL:
 *
 *   SELECT <names decoded from keys>            -- outer: dictionary lookups once per result row
 *   FROM (SELECT <key ids>, <aggregates>        -- inner: scans the fact table on integer keys
 *         FROM <physical> WHERE <time range> AND <filters> [AND <top-N series>]
 *         GROUP BY <keys> HAVING .. ORDER BY .. LIMIT ..)
 *   ORDER BY ..
 */
import type { TableDef } from '@zeroscope/tags';
import type { Cond, Expr, SelectStmt } from './ast';
import { QueryError } from './errors';
import type { Params } from './params';
import { Scope } from './scope';
import { decodeSql, sortSql } from './tagsql';
import { exprText, isAggregate, resolveValue, type Value, type ValueContext } from './values';
import { whereSql } from './where';

export interface SelectOptions {
  readonly start: number;
  readonly end: number;
  readonly maxRows: number;
}

const err = (pos: number, msg: string, expected: readonly string[] = []) =>
  new QueryError('resolve', pos, msg, expected);

class Inner {
  readonly cols: { alias: string; sql: string }[] = [];
  add(sql: string, prefix: string): string {
    const found = this.cols.find((c) => c.sql === sql);
    if (found) return found.alias;
    const alias = `${prefix}${this.cols.length}`;
    this.cols.push({ alias, sql });
    return alias;
  }
}

export function compileSelect(stmt: SelectStmt, table: TableDef, params: Params, opts: SelectOptions) {
  const scope = new Scope(table, params);
  const aggregated =
    stmt.groupBy.length > 0 ||
    stmt.having !== undefined ||
    stmt.items.some((i) => isAggregate(i.expr, scope));
  const aliases = new Map(stmt.items.filter((i) => i.alias).map((i) => [i.alias!, i.expr]));
  const viaAlias = (e: Expr): Expr => (e.kind === 'name' && aliases.get(e.name)) || e;

  let bucketSeconds: number | undefined;
  const ctx: ValueContext = {
    scope,
    aggregated,
    rateSeconds: () => params.bind(bucketSeconds ?? opts.end - opts.start, 'Float64'),
  };
  const inner = new Inner();

  // GROUP BY: tags and time buckets only; remembered by the inner aliases of their keys.
  const groups = new Map<string, string[]>();
  const keyOf = (v: Value) => (v.kind === 'tag' ? `tag:${v.tag.name}` : v.kind === 'bucket' ? 'bucket' : '');
  for (const g of stmt.groupBy) {
    const e = viaAlias(g);
    if (e.kind === 'call' && e.name.toLowerCase() !== 'time')
      throw err(e.pos, 'GROUP BY takes tags and time(time, N)');
    const v = resolveValue(e, ctx);
    if (v.kind === 'tag')
      groups.set(
        keyOf(v),
        scope.keyParts(v.tag).map((s) => inner.add(s, 'k')),
      );
    else if (v.kind === 'bucket') {
      bucketSeconds = v.seconds;
      groups.set('bucket', [inner.add(v.sql, 'k')]);
    } else throw err(e.pos, 'GROUP BY takes tags and time(time, N), not metrics', ['a tag name']);
  }

  const outer: string[] = [];
  const columns: string[] = [];
  const sortOf: (() => string)[] = []; // inner alias each output column sorts by, added on use
  let firstAgg: string | undefined;
  for (const item of stmt.items) {
    const v = resolveValue(item.expr, ctx);
    columns.push(item.alias ?? exprText(item.expr));
    if (v.kind === 'tag' || v.kind === 'bucket') {
      let refs = groups.get(keyOf(v));
      if (!refs) {
        if (aggregated)
          throw err(item.pos, `${exprText(item.expr)} must be in GROUP BY (or inside an aggregate)`);
        refs =
          v.kind === 'tag' ? scope.keyParts(v.tag).map((s) => inner.add(s, 'k')) : [inner.add(v.sql, 'k')];
      }
      outer.push(v.kind === 'tag' ? decodeSql(v.tag, refs) : refs[0]!);
      const ref = refs[0]!;
      const tag = v.kind === 'tag' && v.tag.type !== 'ip' ? v.tag : undefined;
      sortOf.push(() => (tag ? inner.add(sortSql(tag, scope.keyParts(tag)), 'o') : ref));
    } else {
      const a = inner.add(v.sql, 'm');
      if (v.kind === 'agg') firstAgg ??= v.sql;
      outer.push(a);
      sortOf.push(() => a);
    }
  }

  const order: string[] = [];
  for (const o of stmt.orderBy) {
    const dir = o.desc ? ' DESC' : ' ASC';
    const idx =
      o.expr.kind === 'name'
        ? stmt.items.findIndex((i) => i.alias === (o.expr as { name: string }).name)
        : -1;
    const same = idx >= 0 ? idx : stmt.items.findIndex((i) => exprText(i.expr) === exprText(o.expr));
    if (same >= 0) {
      order.push(sortOf[same]!() + dir);
      continue;
    }
    const v = resolveValue(o.expr, ctx);
    if (aggregated && (v.kind === 'tag' || v.kind === 'bucket') && !groups.has(keyOf(v))) {
      throw err(o.pos, `${exprText(o.expr)} must be in GROUP BY to sort by it`);
    }
    const sql = v.kind === 'tag' ? sortSql(v.tag, scope.keyParts(v.tag)) : v.sql;
    order.push(inner.add(sql, 'o') + dir);
  }
  if (!order.length && groups.has('bucket')) order.push(`${groups.get('bucket')![0]} ASC`);

  const conds = [timeRange(table, params, opts)];
  const userWhere = stmt.where ? whereSql(stmt.where, scope) : undefined;
  if (userWhere) conds.push(userWhere);
  if (stmt.slimit) conds.push(topSeries(stmt, table, groups, inner, [...conds], firstAgg, params));

  const having = stmt.having ? havingSql(stmt.having, ctx, aliases) : undefined;
  const limit = Math.min(stmt.limit?.value ?? opts.maxRows, opts.maxRows);
  const groupAliases = [...groups.values()].flat();

  const innerSql = [
    `SELECT ${inner.cols.map((c) => `${c.sql} AS ${c.alias}`).join(', ')}`,
    `FROM ${table.physical}`,
    `WHERE ${conds.join(' AND ')}`,
    ...(groupAliases.length ? [`GROUP BY ${groupAliases.join(', ')}`] : []),
    ...(having ? [`HAVING ${having}`] : []),
    ...(order.length ? [`ORDER BY ${order.join(', ')}`] : []),
    `LIMIT ${params.bind(limit, 'UInt64')}`,
    ...(stmt.offset ? [`OFFSET ${params.bind(stmt.offset.value, 'UInt64')}`] : []),
  ];
  const sql = [
    `SELECT ${outer.map((s, i) => `${s} AS c${i}`).join(', ')}`,
    `FROM (${innerSql.join(' ')})`,
    ...(order.length ? [`ORDER BY ${order.join(', ')}`] : []),
  ].join('\n');
  return { sql, columns };
}

function timeRange(table: TableDef, params: Params, opts: SelectOptions): string {
  const t = table.timeColumn;
  // Compared as DateTime64 so the primary key (toStartOfMinute(time), ...) prunes parts.
  const from = params.bind(Math.floor(opts.start * 1e6), 'Int64');
  const to = params.bind(Math.floor(opts.end * 1e6), 'Int64');
  return `${t} >= fromUnixTimestamp64Micro(${from}) AND ${t} < fromUnixTimestamp64Micro(${to})`;
}

/** SLIMIT n: keep the n series (groups without the time bucket) with the largest first aggregate. */
function topSeries(
  stmt: SelectStmt,
  table: TableDef,
  groups: Map<string, string[]>,
  inner: Inner,
  conds: string[],
  firstAgg: string | undefined,
  params: Params,
): string {
  const pos = stmt.slimit!.pos;
  const series = [...groups.entries()].filter(([k]) => k !== 'bucket').flatMap(([, refs]) => refs);
  if (!groups.has('bucket') || !series.length || !firstAgg) {
    throw err(pos, 'SLIMIT needs GROUP BY time(time, N) plus at least one tag, and an aggregate to rank by');
  }
  const parts = series.map((alias) => inner.cols.find((c) => c.alias === alias)!.sql);
  const tuple = parts.length === 1 ? parts[0]! : `(${parts.join(', ')})`;
  return (
    `${tuple} IN (SELECT ${parts.join(', ')} FROM ${table.physical} WHERE ${conds.join(' AND ')} ` +
    `GROUP BY ${parts.join(', ')} ORDER BY ${firstAgg} DESC LIMIT ${params.bind(stmt.slimit!.value, 'UInt64')})`
  );
}

function havingSql(c: Cond, ctx: ValueContext, aliases: Map<string, Expr>): string {
  switch (c.kind) {
    case 'and':
    case 'or':
      return `(${havingSql(c.left, ctx, aliases)} ${c.kind.toUpperCase()} ${havingSql(c.right, ctx, aliases)})`;
    case 'not':
      return `NOT ${havingSql(c.cond, ctx, aliases)}`;
    case 'in':
    case 'like':
      throw err(c.pos, 'HAVING compares aggregates with numbers (=, !=, <, <=, >, >=)');
    case 'cmp': {
      const left = c.left.kind === 'name' ? (aliases.get(c.left.name) ?? c.left) : c.left;
      const v = resolveValue(left, ctx);
      if (v.kind !== 'agg')
        throw err(c.left.pos, 'HAVING needs an aggregate or metric on the left', ['a metric']);
      if (c.right.kind !== 'number') throw err(c.right.pos, 'HAVING compares with a number', ['a number']);
      return `${v.sql} ${c.op} ${ctx.scope.params.number(c.right.value)}`;
    }
  }
}
