/** ExportMetricsServiceRequest (metrics.proto) from protobuf bytes into OtlpMetric records. */
import {
  DEFAULT_DECODE_LIMITS,
  type Decoded,
  type DecodeLimits,
  type KeyValue,
  type MetricType,
  type OtlpMetric,
  type OtlpPoint,
} from './model';
import { ProtoCursor, WIRE } from './proto';
import { pushAttribute, walkEnvelopes } from './proto-common';

/** Field numbers of `attributes` per data point message (they differ between messages). */
const ATTR_FIELD: Record<MetricType, number> = {
  gauge: 7,
  sum: 7,
  histogram: 9,
  exponential_histogram: 1,
  summary: 7,
};

const MAX_BUCKETS = 4096;

function readPoint(c: ProtoCursor, type: MetricType, lim: DecodeLimits): OtlpPoint {
  const p: OtlpPoint = { attributes: [], timeUs: 0 };
  const number = type === 'gauge' || type === 'sum';
  for (let t = c.tag(); t; t = c.tag()) {
    const f = t.field;
    if (f === ATTR_FIELD[type] && t.wire === WIRE.len) pushAttribute(c, lim, p.attributes);
    else if (f === 3 && t.wire === WIRE.i64) p.timeUs = Math.floor((c.fixed64() ?? 0) / 1000);
    else if (number && f === 4 && t.wire === WIRE.i64) p.value = c.double();
    else if (number && f === 6 && t.wire === WIRE.i64) p.value = c.sfixed64();
    else if (!number && f === 4 && t.wire === WIRE.i64) p.count = c.fixed64();
    else if (!number && f === 5 && t.wire === WIRE.i64) p.sum = c.double();
    else if (type === 'histogram' && f === 6) {
      p.bucketCounts ??= [];
      c.packed64(t.wire, (x) => x.fixed64(), p.bucketCounts, MAX_BUCKETS);
    } else if (type === 'histogram' && f === 7) {
      p.bounds ??= [];
      c.packed64(t.wire, (x) => x.double(), p.bounds, MAX_BUCKETS);
    } else if (type === 'summary' && f === 6 && t.wire === WIRE.len) {
      const m = c.message();
      if (!m) break;
      const qv = { q: 0, v: 0 };
      for (let u = m.tag(); u; u = m.tag()) {
        if (u.field === 1 && u.wire === WIRE.i64) qv.q = m.double() ?? 0;
        else if (u.field === 2 && u.wire === WIRE.i64) qv.v = m.double() ?? 0;
        else m.skip(u.wire);
      }
      c.adopt(m);
      p.quantiles ??= [];
      if (p.quantiles.length < MAX_BUCKETS) p.quantiles.push(qv);
    } else c.skip(t.wire);
  }
  return p;
}

const TYPE_FIELD: Record<number, MetricType> = {
  5: 'gauge',
  7: 'sum',
  9: 'histogram',
  10: 'exponential_histogram',
  11: 'summary',
};

function readMetric(
  c: ProtoCursor,
  lim: DecodeLimits,
  resource: KeyValue[],
  scope: string,
  budget: { points: number },
): OtlpMetric {
  const m: OtlpMetric = {
    name: '',
    unit: '',
    description: '',
    type: 'gauge',
    monotonic: false,
    temporality: 0,
    points: [],
    resource,
    scope,
  };
  for (let t = c.tag(); t; t = c.tag()) {
    const type = TYPE_FIELD[t.field];
    if (t.field === 1 && t.wire === WIRE.len) m.name = c.string() ?? '';
    else if (t.field === 2 && t.wire === WIRE.len) m.description = c.string() ?? '';
    else if (t.field === 3 && t.wire === WIRE.len) m.unit = c.string() ?? '';
    else if (type && t.wire === WIRE.len) {
      m.type = type;
      const data = c.message();
      if (!data) break;
      // Gauge/Sum/Histogram/...: 1 data_points, 2 aggregation_temporality, 3 is_monotonic
      for (let u = data.tag(); u; u = data.tag()) {
        if (u.field === 1 && u.wire === WIRE.len) {
          const pc = data.message();
          if (!pc) break;
          const p = readPoint(pc, type, lim);
          data.adopt(pc);
          if (budget.points-- > 0) m.points.push(p);
        } else if (u.field === 2 && u.wire === WIRE.varint) m.temporality = data.varint() ?? 0;
        else if (u.field === 3 && u.wire === WIRE.varint) m.monotonic = data.bool() ?? false;
        else data.skip(u.wire);
      }
      c.adopt(data);
    } else c.skip(t.wire);
  }
  return m;
}

export function decodeMetricsProto(bytes: Uint8Array, lim = DEFAULT_DECODE_LIMITS): Decoded<OtlpMetric[]> {
  const root = new ProtoCursor(bytes);
  const metrics: OtlpMetric[] = [];
  const budget = { points: lim.maxItems };
  walkEnvelopes(root, lim, (c, resource, scope) => {
    if (budget.points > 0) metrics.push(readMetric(c, lim, resource, scope, budget));
  });
  if (root.bad) return { ok: false, error: `malformed OTLP metrics protobuf: ${root.why}` };
  if (budget.points < 0) return { ok: false, error: `more than ${lim.maxItems} data points in one request` };
  return { ok: true, value: metrics };
}
