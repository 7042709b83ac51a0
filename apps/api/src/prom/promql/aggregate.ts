/**
 * Aggregation operators and set operators over instant vectors: pure functions of samples,
 * grouped or matched by label signature (PromQL semantics: `by` keeps the named labels,
 * `without` drops them and the metric name).
 */
import type { Labels } from '../series';
import { PromQLError } from './ast';
import type { Sample } from './eval';
import { dropAll, dropName, keepOnly, labelsKey } from './labels';

/** sum/avg/min/max/count/group/stddev/stdvar/quantile/topk/bottomk; `k` is the parameter. */
export function aggregate(
  op: string,
  input: readonly Sample[],
  grouping: readonly string[],
  without: boolean,
  k: number,
): Sample[] {
  const groups = new Map<string, { labels: Labels; items: Sample[] }>();
  for (const s of input) {
    const labels = without ? dropAll(dropName(s.labels), grouping) : keepOnly(s.labels, grouping);
    const key = labelsKey(labels);
    const g = groups.get(key);
    if (g) g.items.push(s);
    else groups.set(key, { labels, items: [s] });
  }
  const out: Sample[] = [];
  for (const g of groups.values()) {
    const vs = g.items.map((s) => s.v);
    const sum = vs.reduce((a, b) => a + b, 0);
    const mean = sum / vs.length;
    switch (op) {
      case 'topk':
      case 'bottomk': {
        const sorted = [...g.items].sort((a, b) => (op === 'topk' ? b.v - a.v : a.v - b.v));
        for (const s of sorted.slice(0, Math.max(0, Math.floor(k)))) out.push(s);
        continue;
      }
      case 'quantile': {
        // linear interpolation between the closest ranks, as Prometheus does
        const sorted = [...vs].sort((a, b) => a - b);
        const rank = Math.min(Math.max(k, 0), 1) * (sorted.length - 1);
        const lo = Math.floor(rank);
        const hi = Math.min(lo + 1, sorted.length - 1);
        const v =
          k < 0 ? -Infinity : k > 1 ? Infinity : sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
        out.push({ labels: g.labels, v });
        break;
      }
      case 'sum':
        out.push({ labels: g.labels, v: sum });
        break;
      case 'avg':
        out.push({ labels: g.labels, v: mean });
        break;
      case 'min':
        out.push({ labels: g.labels, v: vs.reduce((m, x) => Math.min(m, x), Infinity) });
        break;
      case 'max':
        out.push({ labels: g.labels, v: vs.reduce((m, x) => Math.max(m, x), -Infinity) });
        break;
      case 'count':
        out.push({ labels: g.labels, v: vs.length });
        break;
      case 'group':
        out.push({ labels: g.labels, v: 1 });
        break;
      case 'stddev':
      case 'stdvar': {
        const variance = vs.reduce((a, b) => a + (b - mean) ** 2, 0) / vs.length;
        out.push({ labels: g.labels, v: op === 'stddev' ? Math.sqrt(variance) : variance });
        break;
      }
      default:
        throw new PromQLError(`aggregation ${op} is not supported`);
    }
  }
  return out;
}

/** and / or / unless: membership by label signature (all labels but the name, or on/ignoring). */
export function setOperation(
  op: string,
  l: readonly Sample[],
  r: readonly Sample[],
  m: { on: boolean; labels: string[] } | undefined,
): Sample[] {
  const sig = (labels: Labels) =>
    labelsKey(m?.on ? keepOnly(labels, m.labels) : dropAll(dropName(labels), m?.labels ?? []));
  const right = new Set(r.map((s) => sig(s.labels)));
  if (op === 'and') return l.filter((s) => right.has(sig(s.labels)));
  if (op === 'unless') return l.filter((s) => !right.has(sig(s.labels)));
  const left = new Set(l.map((s) => sig(s.labels)));
  return [...l, ...r.filter((s) => !left.has(sig(s.labels)))];
}
