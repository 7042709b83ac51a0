/**
 * One evaluation of one rule, as a pure function: samples + previous per-series state -> next
 * state + transitions. A breach moves a series ok -> pending, and pending -> firing once it has
 * lasted forSeconds; a healthy value resolves a firing series (or clears a pending one).
 * Series that vanish follow the rule's no-data policy.
 */
import type { Condition, Op, Sample, SeriesState, Transition } from './types';

export function compare(value: number, op: Op, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

export interface EvalRule {
  condition: Condition;
  forSeconds: number;
  labels: Record<string, string>;
}

export interface EvalResult {
  next: Map<string, SeriesState>;
  transitions: Transition[];
}

/** The label set of the "whole query returned nothing" series. */
export const NO_DATA_KEY = '';

export function evaluate(
  rule: EvalRule,
  samples: readonly Sample[],
  prev: ReadonlyMap<string, SeriesState>,
  now: number,
): EvalResult {
  const next = new Map<string, SeriesState>();
  const transitions: Transition[] = [];
  const forMs = Math.max(0, rule.forSeconds) * 1000;
  const { noData } = rule.condition;

  const step = (
    key: string,
    labels: Record<string, string>,
    value: number | null,
    breach: boolean,
    missing: boolean,
  ) => {
    const before = prev.get(key);
    const status = before?.status ?? 'ok';
    const base = { key, labels, value, noData: missing && breach };
    const emit = (type: Transition['type']) => transitions.push({ key, labels, type, value });
    if (breach) {
      if (status === 'firing') {
        next.set(key, { ...before!, ...base });
        return;
      }
      const since = status === 'pending' ? before!.since : now;
      if (status !== 'pending') emit(missing ? 'nodata' : 'pending');
      if (now - since >= forMs) {
        emit('firing');
        next.set(key, { ...base, status: 'firing', since: now, firedAt: now });
      } else next.set(key, { ...base, status: 'pending', since });
      return;
    }
    if (status === 'firing') emit('resolved');
    else if (status === 'pending') emit('cleared');
    if (!missing)
      next.set(key, { ...base, status: 'ok', since: status === 'ok' && before ? before.since : now });
  };

  const seen = new Set<string>();
  for (const s of samples) {
    seen.add(s.key);
    const labels = { ...rule.labels, ...s.labels };
    if (s.value === null) {
      if (noData === 'keep' && prev.has(s.key)) next.set(s.key, prev.get(s.key)!);
      else step(s.key, labels, null, noData === 'alerting', true);
    } else step(s.key, labels, s.value, compare(s.value, rule.condition.op, rule.condition.threshold), false);
  }
  for (const [key, st] of prev) {
    if (seen.has(key)) continue;
    if (key === NO_DATA_KEY && samples.length > 0) {
      // data is back: the synthetic no-data series resolves
      step(key, st.labels, null, false, true);
      continue;
    }
    if (noData === 'keep') next.set(key, st);
    else step(key, st.labels, null, noData === 'alerting', true);
  }
  if (samples.length === 0 && noData === 'alerting' && !prev.has(NO_DATA_KEY) && prev.size === 0)
    step(NO_DATA_KEY, { ...rule.labels }, null, true, true);
  return { next, transitions };
}
