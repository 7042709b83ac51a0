/**
 * OTLP metrics as Prometheus series, after the OpenTelemetry-to-Prometheus conventions:
 * dots become underscores, monotonic sums get `_total`, histograms become cumulative
 * `_bucket{le}` / `_sum` / `_count`, summaries `{quantile}` / `_sum` / `_count`; the
 * resource's service becomes `job` and `instance`, and its k8s/host attributes become
 * labels so samples link to resources. Exponential histograms keep `_sum` and `_count`.
 * Delta sums and histograms (temporality 1) become cumulative through `accumulate`, which
 * keeps a running total per series (the caller owns that state; without it deltas stay as sent).
 */
import {
  type Labels,
  METRIC_NAME,
  sanitizeName,
  seriesKey,
  sortLabels,
  type TimeSeries,
} from '../prom/series';
import { attrString, attrText, type KeyValue, type OtlpMetric } from './model';

const RESOURCE_LABELS = [
  'k8s.pod.name',
  'k8s.namespace.name',
  'k8s.deployment.name',
  'host.name',
  'k8s.node.name',
];

function resourceLabels(resource: readonly KeyValue[]): Labels {
  const out: Labels = [];
  const svc = attrString(resource, 'service.name');
  const ns = attrString(resource, 'service.namespace');
  if (svc) out.push(['job', ns ? `${ns}/${svc}` : svc]);
  const inst = attrString(resource, 'service.instance.id');
  if (inst) out.push(['instance', inst]);
  for (const k of RESOURCE_LABELS) {
    const v = attrString(resource, k);
    if (v) out.push([sanitizeName(k, false), v]);
  }
  return out;
}

function pointLabels(base: Labels, attrs: readonly KeyValue[]): Labels {
  const m = new Map(base);
  for (const kv of attrs) {
    const k = sanitizeName(kv.key, false);
    if (k !== METRIC_NAME) m.set(k, attrText(kv.value));
  }
  return [...m];
}

const leText = (b: number) => (b === Infinity ? '+Inf' : String(b));

export type Accumulate = (key: string, delta: number) => number;

export function metricsToSeries(metrics: readonly OtlpMetric[], accumulate?: Accumulate): TimeSeries[] {
  const out: TimeSeries[] = [];
  let delta = false;
  const push = (name: string, labels: Labels, t: number, v: number | undefined, extra?: [string, string]) => {
    if (v === undefined || !Number.isFinite(t)) return;
    const ls: Labels = [[METRIC_NAME, name], ...labels.filter((l) => !extra || l[0] !== extra[0])];
    if (extra) ls.push(extra);
    const sorted = sortLabels(ls.filter((l) => l[1] !== ''));
    const value = delta && accumulate ? accumulate(seriesKey(sorted), v) : v;
    out.push({ labels: sorted, samples: [{ t, v: value }] });
  };
  for (const m of metrics) {
    // gauges have no temporality; summaries are cumulative by definition
    delta =
      m.temporality === 1 &&
      (m.type === 'sum' || m.type === 'histogram' || m.type === 'exponential_histogram');
    if (m.name === '') continue;
    let name = sanitizeName(m.name, true);
    if (m.type === 'sum' && m.monotonic && !name.endsWith('_total')) name += '_total';
    const base = resourceLabels(m.resource);
    for (const p of m.points) {
      const labels = pointLabels(base, p.attributes);
      const t = Math.floor(p.timeUs / 1000);
      switch (m.type) {
        case 'gauge':
        case 'sum':
          push(name, labels, t, p.value);
          break;
        case 'histogram': {
          const counts = p.bucketCounts ?? [];
          const bounds = p.bounds ?? [];
          let cum = 0;
          counts.forEach((c, i) => {
            cum += c;
            push(`${name}_bucket`, labels, t, cum, ['le', leText(i < bounds.length ? bounds[i]! : Infinity)]);
          });
          if (counts.length === 0) push(`${name}_bucket`, labels, t, p.count ?? 0, ['le', '+Inf']);
          push(`${name}_sum`, labels, t, p.sum);
          push(`${name}_count`, labels, t, p.count);
          break;
        }
        case 'summary':
          for (const q of p.quantiles ?? []) push(name, labels, t, q.v, ['quantile', String(q.q)]);
          push(`${name}_sum`, labels, t, p.sum);
          push(`${name}_count`, labels, t, p.count);
          break;
        case 'exponential_histogram':
          push(`${name}_sum`, labels, t, p.sum);
          push(`${name}_count`, labels, t, p.count);
          break;
      }
    }
  }
  return out;
}
