/**
 * Instant and range queries (Prometheus HTTP API semantics): parse, read once, evaluate at
 * each step, and shape the `data` object of /api/v1/query and /api/v1/query_range.
 */
import type { MetricSource } from '../store/prom-store';
import type { Expr } from './ast';
import { PromQLError } from './ast';
import { DEFAULT_EVAL_LIMITS, type EvalLimits, Evaluator, load } from './eval';
import { labelsKey, toObject } from './labels';
import { parsePromQL } from './parser';

/** Prometheus formats sample values as Go's strconv.FormatFloat(v, 'f', -1, 64). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Math.abs(v) >= 1e21) return BigInt(Math.round(v)).toString();
  return String(v);
}

const ts = (ms: number) => ms / 1000;

export type QueryData =
  | { resultType: 'scalar' | 'string'; result: [number, string] }
  | { resultType: 'vector'; result: { metric: Record<string, string>; value: [number, string] }[] }
  | { resultType: 'matrix'; result: { metric: Record<string, string>; values: [number, string][] }[] };

export async function instantQuery(
  src: MetricSource,
  query: string,
  timeMs: number,
  lim: EvalLimits = DEFAULT_EVAL_LIMITS,
): Promise<QueryData> {
  const expr = parsePromQL(query);
  const ev = new Evaluator(await load(expr, src, timeMs, timeMs, lim), lim);
  const v = ev.at(expr, timeMs);
  switch (v.type) {
    case 'scalar':
      return { resultType: 'scalar', result: [ts(timeMs), formatValue(v.v)] };
    case 'string':
      return { resultType: 'string', result: [ts(timeMs), v.v] };
    case 'vector':
      return {
        resultType: 'vector',
        result: v.v.map((s) => ({ metric: toObject(s.labels), value: [ts(timeMs), formatValue(s.v)] })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: v.v.map((s) => ({
          metric: toObject(s.labels),
          values: s.points.map((p) => [ts(p.t), formatValue(p.v)] as [number, string]),
        })),
      };
  }
}

export async function rangeQuery(
  src: MetricSource,
  query: string,
  startMs: number,
  endMs: number,
  stepMs: number,
  lim: EvalLimits = DEFAULT_EVAL_LIMITS,
): Promise<QueryData> {
  if (!(stepMs > 0)) throw new PromQLError('zero or negative query resolution step widths are not accepted');
  if (endMs < startMs) throw new PromQLError('end timestamp must not be before start time');
  const steps = Math.floor((endMs - startMs) / stepMs) + 1;
  if (steps > lim.maxSteps)
    throw new PromQLError(
      `exceeded maximum resolution of ${lim.maxSteps} points per timeseries; try a larger step`,
    );
  const expr: Expr = parsePromQL(query);
  const ev = new Evaluator(await load(expr, src, startMs, endMs, lim), lim);
  const series = new Map<string, { metric: Record<string, string>; values: [number, string][] }>();
  for (let i = 0; i < steps; i++) {
    const t = startMs + i * stepMs;
    const v = ev.at(expr, t);
    if (v.type === 'matrix' || v.type === 'string')
      throw new PromQLError(
        `invalid expression type "${v.type === 'matrix' ? 'range vector' : 'string'}" for range query, must be Scalar or instant Vector`,
      );
    const samples = v.type === 'scalar' ? [{ labels: [], v: v.v }] : v.v;
    for (const s of samples) {
      const k = labelsKey(s.labels);
      let e = series.get(k);
      if (!e) {
        e = { metric: toObject(s.labels), values: [] };
        series.set(k, e);
      }
      e.values.push([ts(t), formatValue(s.v)]);
    }
  }
  return { resultType: 'matrix', result: [...series.values()] };
}
