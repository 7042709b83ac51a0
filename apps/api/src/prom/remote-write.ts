/**
 * Prometheus remote write 1.0 (prometheus/prompb WriteRequest): 1 timeseries { 1 labels
 * { 1 name, 2 value }, 2 samples { 1 value double, 2 timestamp int64 ms } }. Metadata,
 * exemplars and native histograms are skipped. Never throws.
 */
import { ProtoCursor, WIRE } from '../otlp/proto';
import { type Labels, METRIC_NAME, sortLabels, type TimeSeries, validLabelName } from './series';

export interface RemoteWriteLimits {
  maxSeries: number;
  maxSamples: number;
  maxLabels: number;
}

export type RemoteWriteResult = { ok: true; value: TimeSeries[] } | { ok: false; error: string };

function readLabel(c: ProtoCursor): [string, string] {
  let name = '';
  let value = '';
  for (let t = c.tag(); t; t = c.tag()) {
    if (t.field === 1 && t.wire === WIRE.len) name = c.string() ?? '';
    else if (t.field === 2 && t.wire === WIRE.len) value = c.string() ?? '';
    else c.skip(t.wire);
  }
  return [name, value];
}

function readSample(c: ProtoCursor): { t: number; v: number } {
  let v = 0;
  let t = 0;
  for (let f = c.tag(); f; f = c.tag()) {
    if (f.field === 1 && f.wire === WIRE.i64) v = c.double() ?? 0;
    else if (f.field === 2 && f.wire === WIRE.varint) t = c.int64() ?? 0;
    else c.skip(f.wire);
  }
  return { t, v };
}

export function decodeRemoteWrite(bytes: Uint8Array, lim: RemoteWriteLimits): RemoteWriteResult {
  const root = new ProtoCursor(bytes);
  const out: TimeSeries[] = [];
  let samples = 0;
  for (let t = root.tag(); t; t = root.tag()) {
    if (t.field !== 1 || t.wire !== WIRE.len) {
      root.skip(t.wire);
      continue;
    }
    const ts = root.message();
    if (!ts) break;
    const labels: Labels = [];
    const series: TimeSeries = { labels, samples: [] };
    for (let u = ts.tag(); u; u = ts.tag()) {
      if (u.field === 1 && u.wire === WIRE.len) {
        const m = ts.message();
        if (!m) break;
        const l = readLabel(m);
        ts.adopt(m);
        if (labels.length >= lim.maxLabels)
          return { ok: false, error: `a series has more than ${lim.maxLabels} labels` };
        labels.push(l);
      } else if (u.field === 2 && u.wire === WIRE.len) {
        const m = ts.message();
        if (!m) break;
        const s = readSample(m);
        ts.adopt(m);
        if (++samples > lim.maxSamples)
          return { ok: false, error: `more than ${lim.maxSamples} samples in one request` };
        series.samples.push(s);
      } else ts.skip(u.wire);
    }
    root.adopt(ts);
    if (root.bad) break;
    const bad = checkLabels(labels);
    if (bad) return { ok: false, error: bad };
    if (out.length >= lim.maxSeries)
      return { ok: false, error: `more than ${lim.maxSeries} series in one request` };
    sortLabels(labels);
    out.push(series);
  }
  if (root.bad) return { ok: false, error: `malformed remote-write protobuf: ${root.why}` };
  return { ok: true, value: out };
}

/** A label set must name its metric, use valid label names and not repeat one. */
export function checkLabels(labels: Labels): string | undefined {
  const seen = new Set<string>();
  let named = false;
  for (const [n, v] of labels) {
    if (n === METRIC_NAME) {
      if (v === '') return 'a series has an empty __name__';
      named = true;
    } else if (!validLabelName(n)) return `invalid label name '${n.slice(0, 64)}'`;
    if (seen.has(n)) return `label '${n.slice(0, 64)}' repeated in one series`;
    seen.add(n);
  }
  return named ? undefined : 'a series has no __name__ label';
}
