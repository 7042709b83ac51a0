/** Metric builders shared by the table definitions. */
import type { MetricDef } from '../types';

export const counter = (name: string, expr: string, unit: string, description: string): MetricDef => ({
  name,
  type: 'counter',
  unit,
  description,
  expr,
  defaultAgg: 'sum',
});

export const delay = (name: string, expr: string, description: string, skipZero = false): MetricDef => ({
  name,
  type: 'delay',
  unit: 'µs',
  description,
  expr,
  defaultAgg: 'avg',
  ...(skipZero ? { skipZero } : {}),
});

export const ratio = (
  name: string,
  numerator: string,
  denominator: string,
  description: string,
): MetricDef => ({
  name,
  type: 'ratio',
  unit: 'ratio 0..1',
  description,
  defaultAgg: 'sum',
  ratio: { numerator, denominator },
});

export const rowCount = counter('row', '1', 'rows', 'number of rows');
