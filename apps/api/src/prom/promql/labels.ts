/** Label-set operations the evaluator needs; label sets stay sorted by name. */
import { type Labels, METRIC_NAME } from '../series';

export const dropName = (l: Labels): Labels => l.filter(([n]) => n !== METRIC_NAME);

export function keepOnly(l: Labels, names: readonly string[]): Labels {
  return l.filter(([n]) => names.includes(n));
}

export function dropAll(l: Labels, names: readonly string[]): Labels {
  return l.filter(([n]) => !names.includes(n));
}

export function labelsKey(l: Labels): string {
  let s = '';
  for (const [n, v] of l) if (v !== '') s += `${n}\u0000${v}\u0001`;
  return s;
}

export function toObject(l: Labels): Record<string, string> {
  const o: Record<string, string> = {};
  for (const [n, v] of l) if (v !== '') o[n] = v;
  return o;
}

export function get(l: Labels, name: string): string | undefined {
  for (const [n, v] of l) if (n === name) return v;
  return undefined;
}
