/** The sample model every metric intake produces (remote write, Influx, OTLP metrics). */

/** A label set, sorted by name, including `__name__`. */
export type Labels = [name: string, value: string][];

export interface TimeSeries {
  labels: Labels;
  /** ms since the epoch, value */
  samples: { t: number; v: number }[];
}

export const METRIC_NAME = '__name__';

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const validMetricName = (s: string): boolean => NAME_RE.test(s);
export const validLabelName = (s: string): boolean => LABEL_RE.test(s);

/** Replaces characters Prometheus names cannot hold with `_` (OTel/Influx names have dots). */
export function sanitizeName(s: string, metric: boolean): string {
  let out = s.replace(metric ? /[^a-zA-Z0-9_:]/g : /[^a-zA-Z0-9_]/g, '_');
  if (out === '' || /^[0-9]/.test(out)) out = `_${out}`;
  return out;
}

export function sortLabels(labels: Labels): Labels {
  return labels.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export function labelValue(labels: Labels, name: string): string | undefined {
  for (const [n, v] of labels) if (n === name) return v;
  return undefined;
}

/** Canonical text of a label set: the series identity. */
export function seriesKey(labels: Labels): string {
  let s = '';
  for (const [n, v] of labels) s += `${n}\u0000${v}\u0001`;
  return s;
}
