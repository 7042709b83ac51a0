/** Select/order/having expressions: tags, time buckets, metrics and their aggregates. */
import { type MetricDef, sketchApdexSql } from '@zeroscope/tags';
import type { Expr } from './ast';
import { QueryError, show } from './errors';
import type { Scope } from './scope';
import { type EndTag, micros, serverEnd } from './tagsql';

export type Value =
  | { readonly kind: 'tag'; readonly tag: EndTag }
  | { readonly kind: 'bucket'; readonly seconds: number; readonly sql: string }
  | { readonly kind: 'agg'; readonly sql: string }
  | { readonly kind: 'row'; readonly sql: string };

const AGGREGATES = ['count', 'sum', 'avg', 'max', 'min', 'percentile', 'apdex', 'rate', 'persecond', 'uniq'];
const FUNCTIONS = ['time', ...AGGREGATES];
const MAX_BUCKET = 31 * 86_400;

const err = (pos: number, msg: string, expected: readonly string[] = []) =>
  new QueryError('resolve', pos, msg, expected);

/** Whether the expression makes the query an aggregation. */
export function isAggregate(e: Expr, scope: Scope): boolean {
  if (e.kind === 'call') return AGGREGATES.includes(e.name.toLowerCase());
  if (e.kind !== 'name') return false;
  const m = scope.metric(e.name);
  return m?.type === 'ratio' || m?.aggSql !== undefined;
}

/** Canonical text of an expression: the column name when no alias is given. */
export function exprText(e: Expr): string {
  switch (e.kind) {
    case 'name':
      return e.name;
    case 'number':
      return e.text;
    case 'string':
      return `'${e.value}'`;
    case 'star':
      return '*';
    case 'call':
      return `${e.name.toLowerCase()}(${e.args.map(exprText).join(', ')})`;
  }
}

export interface ValueContext {
  readonly scope: Scope;
  readonly aggregated: boolean;
  /** Seconds a rate divides by: the time bucket, else the whole range. */
  readonly rateSeconds: () => string;
}

export function resolveValue(e: Expr, ctx: ValueContext): Value {
  const { scope } = ctx;
  if (e.kind === 'star')
    throw err(e.pos, 'SELECT * is not supported; name the tags and metrics you need', ['a tag name']);
  if (e.kind === 'number' || e.kind === 'string')
    throw err(e.pos, 'constants cannot be selected', ['a tag name']);
  if (e.kind === 'name') {
    const tag = scope.tag(e.name);
    if (tag) return { kind: 'tag', tag: serverEnd(tag) };
    const m = scope.metric(e.name);
    if (!m) throw scope.unknown(e.name, e.pos);
    if (ctx.aggregated) return { kind: 'agg', sql: aggregate(m, m.defaultAgg, e.pos, ctx) };
    return { kind: 'row', sql: m.expr! };
  }
  const fn = e.name.toLowerCase();
  if (!FUNCTIONS.includes(fn)) throw err(e.pos, `unknown function ${show(e.name)}`, FUNCTIONS);
  for (const a of e.args) {
    if (a.kind === 'call') throw err(a.pos, 'functions cannot be nested');
  }
  if (fn === 'time') return bucket(e.args, e.pos, ctx);
  if (!ctx.aggregated) throw err(e.pos, 'internal: aggregate in a row query');
  const [arg, extra, ...rest] = e.args;
  if (rest.length) throw err(rest[0]!.pos, `too many arguments to ${fn}`);
  if (fn === 'count') {
    if (extra) throw err(extra.pos, 'count takes at most one argument');
    if (arg && !(arg.kind === 'star' || (arg.kind === 'name' && scope.metric(arg.name)))) {
      throw err(arg.pos, 'count takes *, row or a metric', ['*', 'row']);
    }
    return { kind: 'agg', sql: 'count()' };
  }
  if (arg?.kind !== 'name')
    throw err(arg?.pos ?? e.pos, `${fn} needs a metric or tag name`, ['a metric name']);
  if (fn === 'uniq') {
    if (extra) throw err(extra.pos, 'uniq takes one argument');
    const tag = scope.tag(arg.name);
    if (!tag) throw scope.unknown(arg.name, arg.pos);
    return { kind: 'agg', sql: `uniq(${scope.keyParts(serverEnd(tag)).join(', ')})` };
  }
  const m = scope.metric(arg.name);
  if (!m) {
    if (scope.tag(arg.name))
      throw err(arg.pos, `${arg.name} is a tag; ${fn} needs a metric (use uniq for tags)`);
    throw scope.unknown(arg.name, arg.pos);
  }
  if (fn === 'apdex') return { kind: 'agg', sql: apdex(m, extra, e.pos, ctx) };
  if (fn === 'percentile') {
    if (extra?.kind !== 'number' || !(extra.value >= 0 && extra.value <= 100)) {
      throw err(
        extra?.pos ?? e.pos,
        'percentile needs a level between 0 and 100, e.g. percentile(response_duration, 99)',
      );
    }
    return { kind: 'agg', sql: aggregate(m, 'quantile', arg.pos, ctx, extra.value / 100) };
  }
  if (extra) throw err(extra.pos, `${fn} takes one argument`);
  return { kind: 'agg', sql: aggregate(m, fn === 'persecond' ? 'rate' : fn, arg.pos, ctx) };
}

/** Apdex score 0..1 for threshold T (ms): (satisfied + tolerating / 2) / all. */
function apdex(m: MetricDef, t: Expr | undefined, pos: number, ctx: ValueContext): string {
  if (!m.apdex) throw err(pos, `apdex needs a latency metric such as response_duration, not ${m.name}`);
  if (t?.kind !== 'number' || !(t.value > 0 && t.value <= 3_600_000)) {
    throw err(t?.pos ?? pos, 'apdex needs a threshold in ms, e.g. apdex(response_duration, 500)');
  }
  const us = t.value * 1000;
  if (m.apdex === 'sketch') return sketchApdexSql(us);
  const x = m.expr!;
  const T = ctx.scope.params.bind(us, 'Float64');
  return `(countIf(${x} <= ${T}) + countIf(${x} > ${T} AND ${x} <= 4 * ${T}) / 2) / greatest(count(), 1)`;
}

function aggregate(m: MetricDef, fn: string, pos: number, ctx: ValueContext, level = 0): string {
  const { scope } = ctx;
  if (m.aggSql) {
    if (fn !== m.defaultAgg) throw err(pos, `${m.name} is computed from a sketch; use it bare`);
    return m.aggSql;
  }
  if (m.ratio) {
    if (fn !== 'sum' && fn !== 'avg') throw err(pos, `${m.name} is a ratio; use it bare or with avg`);
    const num = scope.metric(m.ratio.numerator)!.expr!;
    const den = scope.metric(m.ratio.denominator)!.expr!;
    const total = (x: string) => (x === '1' ? 'count()' : `sum(${x})`);
    return `${total(num)} / greatest(${total(den)}, 1)`;
  }
  const x = m.expr!;
  const nz = m.skipZero ? `, ${x} > 0` : '';
  const If = m.skipZero ? 'If' : '';
  switch (fn) {
    case 'sum':
      return x === '1' ? 'count()' : `sum(${x})`;
    case 'avg':
      return `avg${If}(${x}${nz})`;
    case 'max':
      return `max(${x})`;
    case 'min':
      return `min${If}(${x}${nz})`;
    case 'quantile':
      return `quantile${If}(${scope.params.bind(level, 'Float64')})(${x}${nz})`;
    case 'rate':
      return `${x === '1' ? 'count()' : `sum(${x})`} / ${ctx.rateSeconds()}`;
  }
  throw err(pos, `unknown aggregate ${fn}`);
}

function bucket(args: readonly Expr[], pos: number, ctx: ValueContext): Value {
  const [a, b] = args;
  const n = args.length === 2 ? b : a;
  const ok = args.length === 1 || (args.length === 2 && a?.kind === 'name' && a.name === 'time');
  if (!ok || n?.kind !== 'number' || !Number.isInteger(n.value) || n.value < 1 || n.value > MAX_BUCKET) {
    throw err(n?.pos ?? pos, `time bucketing is time(time, SECONDS) with 1 <= SECONDS <= ${MAX_BUCKET}`);
  }
  const col = ctx.scope.table.timeColumn;
  const s = ctx.scope.params.bind(n.value, 'UInt64');
  return { kind: 'bucket', seconds: n.value, sql: `intDiv(${micros(col)}, ${s} * 1000000) * ${s}` };
}
