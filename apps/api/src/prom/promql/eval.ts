/**
 * Evaluates a parsed PromQL expression over a MetricSource: every selector's samples are
 * read once for the whole range, then the expression is computed step by step in memory.
 * Pure apart from the one `select` per selector; bounded by sample and point limits.
 */

import type { Labels, TimeSeries } from '../series';
import type { MetricSource } from '../store/prom-store';
import { aggregate, setOperation } from './aggregate';
import { COMPARISON, type Expr, PromQLError, SET_OPERATORS, type VectorSelector } from './ast';
import { bucketQuantile, MATH_FUNCTIONS, type Point, RANGE_FUNCTIONS } from './functions';
import { labelReplace } from './label-replace';
import { dropAll, dropName, get, keepOnly, labelsKey } from './labels';

export interface Sample {
  labels: Labels;
  v: number;
}

export type Value =
  | { type: 'scalar'; v: number }
  | { type: 'string'; v: string }
  | { type: 'vector'; v: Sample[] }
  | { type: 'matrix'; v: { labels: Labels; points: Point[] }[] };

export interface EvalLimits {
  /** samples read from storage per query */
  maxSamples: number;
  /** steps of a range query */
  maxSteps: number;
  /** PromQL lookback delta */
  lookbackMs: number;
}

export const DEFAULT_EVAL_LIMITS: EvalLimits = {
  maxSamples: 5_000_000,
  maxSteps: 11_000,
  lookbackMs: 300_000,
};

type Loaded = Map<VectorSelector, TimeSeries[]>;

function selectors(e: Expr, out: { sel: VectorSelector; rangeMs: number }[]): void {
  switch (e.kind) {
    case 'vector':
      out.push({ sel: e, rangeMs: 0 });
      return;
    case 'matrix':
      out.push({ sel: e.vector, rangeMs: e.rangeMs });
      return;
    case 'call':
      for (const a of e.args) selectors(a, out);
      return;
    case 'agg':
      selectors(e.expr, out);
      if (e.param) selectors(e.param, out);
      return;
    case 'binary':
      selectors(e.lhs, out);
      selectors(e.rhs, out);
      return;
    case 'neg':
      selectors(e.expr, out);
      return;
    default:
      return;
  }
}

/** Reads every selector's data for evaluation at steps in [startMs, endMs]. */
export async function load(
  expr: Expr,
  src: MetricSource,
  startMs: number,
  endMs: number,
  lim: EvalLimits,
): Promise<Loaded> {
  const found: { sel: VectorSelector; rangeMs: number }[] = [];
  selectors(expr, found);
  const out: Loaded = new Map();
  let budget = lim.maxSamples;
  for (const { sel, rangeMs } of found) {
    const back = rangeMs > 0 ? rangeMs : lim.lookbackMs;
    const series = await src.select(
      sel.matchers,
      startMs - sel.offsetMs - back,
      endMs - sel.offsetMs,
      budget,
    );
    for (const s of series) budget -= s.samples.length;
    if (budget < 0)
      throw new PromQLError(`query would read more than ${lim.maxSamples} samples`, 'execution');
    out.set(sel, series);
  }
  return out;
}

/** Index of the first point with t > x. */
function upper(p: readonly Point[], x: number): number {
  let lo = 0;
  let hi = p.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (p[mid]!.t <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class Evaluator {
  constructor(
    private readonly data: Loaded,
    private readonly lim: EvalLimits,
  ) {}

  at(e: Expr, t: number): Value {
    switch (e.kind) {
      case 'number':
        return { type: 'scalar', v: e.value };
      case 'string':
        return { type: 'string', v: e.value };
      case 'vector':
        return { type: 'vector', v: this.instant(e, t) };
      case 'matrix':
        return { type: 'matrix', v: this.range(e.vector, e.rangeMs, t) };
      case 'neg': {
        const v = this.at(e.expr, t);
        if (v.type === 'scalar') return { type: 'scalar', v: -v.v };
        return { type: 'vector', v: this.vec(v, '-').map((s) => ({ labels: dropName(s.labels), v: -s.v })) };
      }
      case 'call':
        return this.call(e.fn, e.args, t);
      case 'agg':
        return { type: 'vector', v: this.aggregate(e, t) };
      case 'binary':
        return this.binary(e, t);
    }
  }

  private instant(sel: VectorSelector, t: number): Sample[] {
    const at = t - sel.offsetMs;
    const out: Sample[] = [];
    for (const s of this.data.get(sel) ?? []) {
      const i = upper(s.samples, at) - 1;
      if (i < 0) continue;
      const p = s.samples[i]!;
      if (p.t > at - this.lim.lookbackMs) out.push({ labels: s.labels, v: p.v });
    }
    return out;
  }

  private range(sel: VectorSelector, rangeMs: number, t: number): { labels: Labels; points: Point[] }[] {
    const at = t - sel.offsetMs;
    const out: { labels: Labels; points: Point[] }[] = [];
    for (const s of this.data.get(sel) ?? []) {
      const pts = s.samples.slice(upper(s.samples, at - rangeMs), upper(s.samples, at));
      if (pts.length) out.push({ labels: s.labels, points: pts });
    }
    return out;
  }

  private vec(v: Value, what: string): Sample[] {
    if (v.type !== 'vector') throw new PromQLError(`${what} expects an instant vector, got ${v.type}`);
    return v.v;
  }

  private scalar(v: Value, what: string): number {
    if (v.type !== 'scalar') throw new PromQLError(`${what} expects a scalar, got ${v.type}`);
    return v.v;
  }

  private call(fn: string, args: Expr[], t: number): Value {
    const arity = (n: number) => {
      if (args.length !== n) throw new PromQLError(`${fn}() takes ${n} argument(s), got ${args.length}`);
    };
    const rangeFn = RANGE_FUNCTIONS[fn];
    if (rangeFn) {
      arity(1);
      const m = args[0]!;
      if (m.kind !== 'matrix') throw new PromQLError(`${fn}() expects a range vector, e.g. ${fn}(x[5m])`);
      const out: Sample[] = [];
      for (const s of this.range(m.vector, m.rangeMs, t)) {
        const v = rangeFn(s.points, m.rangeMs, t - m.vector.offsetMs);
        if (v !== undefined) out.push({ labels: fn === 'last_over_time' ? s.labels : dropName(s.labels), v });
      }
      return { type: 'vector', v: out };
    }
    const math = MATH_FUNCTIONS[fn];
    if (math) {
      arity(1);
      return {
        type: 'vector',
        v: this.vec(this.at(args[0]!, t), fn).map((s) => ({ labels: dropName(s.labels), v: math(s.v) })),
      };
    }
    switch (fn) {
      case 'time':
        arity(0);
        return { type: 'scalar', v: t / 1000 };
      case 'vector':
        arity(1);
        return { type: 'vector', v: [{ labels: [], v: this.scalar(this.at(args[0]!, t), fn) }] };
      case 'scalar': {
        arity(1);
        const v = this.vec(this.at(args[0]!, t), fn);
        return { type: 'scalar', v: v.length === 1 ? v[0]!.v : Number.NaN };
      }
      case 'round': {
        if (args.length < 1 || args.length > 2) throw new PromQLError('round() takes 1 or 2 arguments');
        const to = args[1] ? this.scalar(this.at(args[1], t), fn) : 1;
        const v = this.vec(this.at(args[0]!, t), fn);
        return {
          type: 'vector',
          v: v.map((s) => ({ labels: dropName(s.labels), v: Math.floor(s.v / to + 0.5) * to })),
        };
      }
      case 'clamp_min':
      case 'clamp_max': {
        arity(2);
        const b = this.scalar(this.at(args[1]!, t), fn);
        const f = fn === 'clamp_min' ? Math.max : Math.min;
        return {
          type: 'vector',
          v: this.vec(this.at(args[0]!, t), fn).map((s) => ({ labels: dropName(s.labels), v: f(s.v, b) })),
        };
      }
      case 'histogram_quantile': {
        arity(2);
        const q = this.scalar(this.at(args[0]!, t), fn);
        const groups = new Map<string, { labels: Labels; buckets: { le: number; count: number }[] }>();
        for (const s of this.vec(this.at(args[1]!, t), fn)) {
          const le = get(s.labels, 'le');
          if (le === undefined) continue;
          const bound = le === '+Inf' || le === 'Inf' ? Infinity : Number(le);
          if (Number.isNaN(bound)) continue;
          const labels = dropAll(dropName(s.labels), ['le']);
          const k = labelsKey(labels);
          const g = groups.get(k) ?? { labels, buckets: [] };
          g.buckets.push({ le: bound, count: s.v });
          groups.set(k, g);
        }
        return {
          type: 'vector',
          v: [...groups.values()].map((g) => ({ labels: g.labels, v: bucketQuantile(q, g.buckets) })),
        };
      }
    }
    if (fn === 'label_replace') return this.labelReplace(args, t);
    if (fn === 'sort' || fn === 'sort_desc') {
      arity(1);
      const v = [...this.vec(this.at(args[0]!, t), fn)];
      return { type: 'vector', v: v.sort((a, b) => (fn === 'sort' ? a.v - b.v : b.v - a.v)) };
    }
    if (fn === 'absent') {
      arity(1);
      if (this.vec(this.at(args[0]!, t), fn).length > 0) return { type: 'vector', v: [] };
      // the labels the selector pins with =, as Prometheus reports them
      const a = args[0]!;
      const sel = a.kind === 'vector' ? a : a.kind === 'matrix' ? a.vector : undefined;
      const labels: Labels = (sel?.matchers ?? [])
        .filter((m) => m.op === '=' && m.name !== '__name__')
        .map((m) => [m.name, m.value] as [string, string]);
      return { type: 'vector', v: [{ labels: labels.sort((x, y) => (x[0] < y[0] ? -1 : 1)), v: 1 }] };
    }
    throw new PromQLError(`function ${fn}() is not supported`);
  }

  private labelReplace(args: Expr[], t: number): Value {
    if (args.length !== 5) throw new PromQLError(`label_replace() takes 5 arguments, got ${args.length}`);
    const str = (e: Expr, what: string) => {
      const v = this.at(e, t);
      if (v.type !== 'string') throw new PromQLError(`label_replace() expects a string ${what}`);
      return v.v;
    };
    const input = this.vec(this.at(args[0]!, t), 'label_replace');
    return {
      type: 'vector',
      v: labelReplace(
        input,
        str(args[1]!, 'destination'),
        str(args[2]!, 'replacement'),
        str(args[3]!, 'source'),
        str(args[4]!, 'regex'),
      ),
    };
  }

  private aggregate(e: Extract<Expr, { kind: 'agg' }>, t: number): Sample[] {
    const input = this.vec(this.at(e.expr, t), e.op);
    const k = e.param ? this.scalar(this.at(e.param, t), e.op) : 0;
    return aggregate(e.op, input, e.grouping, e.without, k);
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>, t: number): Value {
    const l = this.at(e.lhs, t);
    const r = this.at(e.rhs, t);
    const cmp = COMPARISON.has(e.op);
    if (cmp && !e.bool && l.type === 'scalar' && r.type === 'scalar')
      throw new PromQLError('comparisons between scalars must use the bool modifier');
    if (l.type === 'string' || r.type === 'string' || l.type === 'matrix' || r.type === 'matrix')
      throw new PromQLError(`operator ${e.op} needs scalars or instant vectors`);
    if (SET_OPERATORS.has(e.op)) {
      if (l.type !== 'vector' || r.type !== 'vector')
        throw new PromQLError(`set operator ${e.op} needs instant vectors on both sides`);
      return { type: 'vector', v: setOperation(e.op, l.v, r.v, e.matching) };
    }
    if (l.type === 'scalar' && r.type === 'scalar') return { type: 'scalar', v: apply(e.op, l.v, r.v) };
    // Comparisons without bool filter; everything else makes a new value without a name.
    const result = (labels: Labels, keep: number, a: number, b: number): Sample | undefined => {
      const v = apply(e.op, a, b);
      if (cmp && !e.bool) return v ? { labels, v: keep } : undefined;
      return { labels: dropName(labels), v };
    };
    if (l.type === 'scalar' || r.type === 'scalar') {
      const vec = l.type === 'vector' ? l.v : (r as { v: Sample[] }).v;
      const out: Sample[] = [];
      for (const s of vec) {
        const x =
          l.type === 'scalar'
            ? result(s.labels, s.v, l.v, s.v)
            : result(s.labels, s.v, s.v, (r as { v: number }).v);
        if (x) out.push(x);
      }
      return { type: 'vector', v: out };
    }
    const sig = (labels: Labels) => {
      const m = e.matching;
      const base = m?.on ? keepOnly(labels, m.labels) : dropAll(dropName(labels), m?.labels ?? []);
      return labelsKey(base);
    };
    const right = new Map<string, Sample>();
    for (const s of r.v) {
      const k = sig(s.labels);
      if (right.has(k))
        throw new PromQLError(
          `many-to-many matching not allowed: duplicate series on the right side of ${e.op}`,
          'execution',
        );
      right.set(k, s);
    }
    const seen = new Set<string>();
    const out: Sample[] = [];
    for (const s of l.v) {
      const k = sig(s.labels);
      const m = right.get(k);
      if (!m) continue;
      if (seen.has(k))
        throw new PromQLError(
          `many-to-many matching not allowed: duplicate series on the left side of ${e.op}`,
          'execution',
        );
      seen.add(k);
      let labels = s.labels;
      if (e.matching?.on && !(cmp && !e.bool)) labels = keepOnly(labels, e.matching.labels);
      else if (e.matching && !(cmp && !e.bool)) labels = dropAll(labels, e.matching.labels);
      const x = result(labels, s.v, s.v, m.v);
      if (x) out.push(x);
    }
    return { type: 'vector', v: out };
  }
}

function apply(op: string, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '^':
      return a ** b;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '<':
      return a < b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
  }
  throw new PromQLError(`operator ${op} is not supported`);
}
