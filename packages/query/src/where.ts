/** WHERE conditions: tags and metrics on the left, literal values (bound) on the right. */
import { ipTextSql } from '@zeroscope/tags';
import type { Cond, Expr } from './ast';
import { QueryError, show } from './errors';
import type { Scope } from './scope';
import { type EndTag, nameFilterSql, namePredicate } from './tagsql';

type Op = '=' | '<' | '<=' | '>' | '>=' | 'in' | 'like' | 'ilike';

export function whereSql(c: Cond, scope: Scope): string {
  switch (c.kind) {
    case 'and':
    case 'or':
      return `(${whereSql(c.left, scope)} ${c.kind.toUpperCase()} ${whereSql(c.right, scope)})`;
    case 'not':
      return `NOT ${whereSql(c.cond, scope)}`;
    case 'cmp':
      return predicate(c.left, c.op === '!=' ? '=' : c.op, c.op === '!=', [c.right], scope);
    case 'in':
      return predicate(c.left, 'in', c.negated, c.list, scope);
    case 'like':
      return predicate(c.left, c.caseInsensitive ? 'ilike' : 'like', c.negated, [c.right], scope);
  }
}

const err = (pos: number, msg: string, expected: string[] = []) =>
  new QueryError('resolve', pos, msg, expected);

function predicate(left: Expr, op: Op, negated: boolean, right: readonly Expr[], scope: Scope): string {
  if (left.kind !== 'name') {
    throw err(left.pos, 'the left side of a condition must be a tag or metric name', ['a tag name']);
  }
  const tag = scope.tag(left.name);
  if (tag) {
    if (tag.source.kind === 'either') {
      const [a, b] = tag.source.ends as [EndTag, EndTag];
      const bound = bindValues(a, op, right, scope);
      const both = `(${endPredicate(a, op, bound, scope)} OR ${endPredicate(b, op, bound, scope)})`;
      return negated ? `NOT ${both}` : both;
    }
    const t = tag as EndTag;
    const sql = endPredicate(t, op, bindValues(t, op, right, scope), scope);
    return negated ? `NOT (${sql})` : sql;
  }
  const metric = scope.metric(left.name);
  if (metric?.expr) {
    const bound = right.map((v) => {
      if (v.kind !== 'number')
        throw err(v.pos, `${left.name} is numeric; compare it with a number`, ['a number']);
      return scope.params.number(v.value);
    });
    if (op === 'like' || op === 'ilike')
      throw err(left.pos, `LIKE needs a text tag; ${left.name} is a number`);
    const sql = op === 'in' ? `${metric.expr} IN (${bound.join(', ')})` : `${metric.expr} ${op} ${bound[0]}`;
    return negated ? `NOT (${sql})` : sql;
  }
  if (metric) throw err(left.pos, `${left.name} is a ratio; filter on it with HAVING`);
  throw scope.unknown(left.name, left.pos);
}

/** Checks the values against the tag's type and binds them once (shared by both ends). */
function bindValues(t: EndTag, op: Op, right: readonly Expr[], scope: Scope): string[] {
  const p = scope.params;
  const numeric = t.type === 'int' || t.type === 'time';
  const decoded = t.type === 'resource' || t.type === 'custom';
  if (numeric && (op === 'like' || op === 'ilike'))
    throw err(right[0]!.pos, `LIKE needs a text tag; ${t.name} is a number`);
  if ((decoded || t.type === 'enum' || t.type === 'ip') && ['<', '<=', '>', '>='].includes(op)) {
    throw err(right[0]!.pos, `${t.name} supports =, !=, IN and LIKE only`, ['=', '!=', 'IN', 'LIKE']);
  }
  return right.map((v) => {
    if (numeric) {
      if (v.kind !== 'number')
        throw err(v.pos, `${t.name} is a number; compare it with a number`, ['a number']);
      return p.number(v.value);
    }
    if (v.kind !== 'string') {
      const hint =
        decoded && v.kind === 'number' ? ` (use ${t.name.replace(/(_[01])?$/, '_id$1')} for ids)` : '';
      throw err(v.pos, `${t.name} is text; compare it with a 'quoted string'${hint}`, ["a 'string'"]);
    }
    if (t.type === 'enum' && op !== 'like' && op !== 'ilike' && !t.values?.some((e) => e.value === v.value)) {
      throw err(
        v.pos,
        `${t.name} has no value ${show(v.value)}`,
        (t.values ?? []).map((e) => e.value),
      );
    }
    if (t.type === 'ip' && op !== 'like' && op !== 'ilike' && !isIp(v.value)) {
      throw err(v.pos, `${show(v.value)} is not an IPv4 or IPv6 address`);
    }
    return p.bind(v.value, 'String');
  });
}

function endPredicate(t: EndTag, op: Op, bound: readonly string[], scope: Scope): string {
  if (t.type === 'resource' || t.type === 'custom') {
    const nameOp = op === 'in' || op === 'like' || op === 'ilike' ? op : '=';
    return nameFilterSql(t, nameOp, bound, scope.params)!;
  }
  const [x] = scope.keyParts(t) as [string];
  if (t.type === 'ip') {
    if (op === 'like' || op === 'ilike') return namePredicate(ipTextSql(x), op, bound);
    const ips = bound.map((b) => `toIPv6OrZero(${b})`);
    return op === 'in' ? `${x} IN (${ips.join(', ')})` : `${x} = ${ips[0]}`;
  }
  if (op === 'in') return `${x} IN (${bound.join(', ')})`;
  if (op === 'like') return `${x} LIKE ${bound[0]}`;
  if (op === 'ilike') return `${x} ILIKE ${bound[0]}`;
  return `${x} ${op} ${bound[0]}`;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
function isIp(s: string): boolean {
  if (IPV4.test(s)) return true;
  if (!/^[0-9a-fA-F:.]{2,45}$/.test(s) || !s.includes(':')) return false;
  const tail = s.slice(s.lastIndexOf(':') + 1);
  return !tail.includes('.') || IPV4.test(tail);
}
