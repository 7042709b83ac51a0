/** OTLP/JSON requests (traces, metrics, logs) into the same records as the protobuf decoders. */
import {
  anyValue,
  arr,
  enumValue,
  jsonId,
  keyValues,
  nanosToUs,
  num,
  obj,
  parseJson,
  str,
  walkJson,
} from './json-common';
import {
  DEFAULT_DECODE_LIMITS,
  type Decoded,
  type MetricType,
  type OtlpLog,
  type OtlpMetric,
  type OtlpPoint,
  type OtlpSpan,
} from './model';

const SPAN_KINDS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
const TEMPORALITY = [
  'AGGREGATION_TEMPORALITY_UNSPECIFIED',
  'AGGREGATION_TEMPORALITY_DELTA',
  'AGGREGATION_TEMPORALITY_CUMULATIVE',
];

export function decodeTracesJson(bytes: Uint8Array, lim = DEFAULT_DECODE_LIMITS): Decoded<OtlpSpan[]> {
  const parsed = parseJson(bytes);
  if (!parsed.ok) return parsed;
  const spans: OtlpSpan[] = [];
  const keys = { resources: 'resourceSpans', scopes: 'scopeSpans', items: 'spans' };
  const fits = walkJson(parsed.value, keys, lim, (v, resource, scope) => {
    const s = obj(v);
    const status = obj(s.status);
    spans.push({
      traceId: jsonId(s.traceId, 16),
      spanId: jsonId(s.spanId, 8),
      parentSpanId: jsonId(s.parentSpanId, 8),
      name: str(s.name),
      kind: enumValue(s.kind, SPAN_KINDS),
      startUs: nanosToUs(s.startTimeUnixNano),
      endUs: nanosToUs(s.endTimeUnixNano),
      attributes: keyValues(s.attributes, lim),
      statusCode: enumValue(status.code, STATUS_CODES),
      statusMessage: str(status.message),
      resource,
      scope,
    });
    return 1;
  });
  if (!fits) return { ok: false, error: `more than ${lim.maxItems} spans in one request` };
  return { ok: true, value: spans };
}

const TYPES: MetricType[] = ['gauge', 'sum', 'histogram', 'exponentialHistogram' as MetricType, 'summary'];

function point(v: unknown, lim = DEFAULT_DECODE_LIMITS): OtlpPoint {
  const p = obj(v);
  const out: OtlpPoint = { attributes: keyValues(p.attributes, lim), timeUs: nanosToUs(p.timeUnixNano) };
  if ('asDouble' in p) out.value = num(p.asDouble);
  else if ('asInt' in p) out.value = num(p.asInt);
  if ('count' in p) out.count = num(p.count);
  if ('sum' in p) out.sum = num(p.sum);
  if ('bucketCounts' in p)
    out.bucketCounts = arr(p.bucketCounts)
      .slice(0, 4096)
      .map((x) => num(x) ?? 0);
  if ('explicitBounds' in p)
    out.bounds = arr(p.explicitBounds)
      .slice(0, 4096)
      .map((x) => num(x) ?? 0);
  if ('quantileValues' in p)
    out.quantiles = arr(p.quantileValues)
      .slice(0, 4096)
      .map((q) => ({ q: num(obj(q).quantile) ?? 0, v: num(obj(q).value) ?? 0 }));
  return out;
}

export function decodeMetricsJson(bytes: Uint8Array, lim = DEFAULT_DECODE_LIMITS): Decoded<OtlpMetric[]> {
  const parsed = parseJson(bytes);
  if (!parsed.ok) return parsed;
  const metrics: OtlpMetric[] = [];
  const keys = { resources: 'resourceMetrics', scopes: 'scopeMetrics', items: 'metrics' };
  const fits = walkJson(parsed.value, keys, lim, (v, resource, scope) => {
    const m = obj(v);
    const key = TYPES.find((t) => t in m);
    if (!key) return 1;
    const data = obj(m[key]);
    const points = arr(data.dataPoints);
    if (points.length > lim.maxItems) return points.length;
    metrics.push({
      name: str(m.name),
      unit: str(m.unit),
      description: str(m.description),
      type: key === ('exponentialHistogram' as MetricType) ? 'exponential_histogram' : key,
      monotonic: data.isMonotonic === true,
      temporality: enumValue(data.aggregationTemporality, TEMPORALITY),
      points: points.map((p) => point(p, lim)),
      resource,
      scope,
    });
    return Math.max(1, points.length);
  });
  if (!fits) return { ok: false, error: `more than ${lim.maxItems} data points in one request` };
  return { ok: true, value: metrics };
}

export function decodeLogsJson(bytes: Uint8Array, lim = DEFAULT_DECODE_LIMITS): Decoded<OtlpLog[]> {
  const parsed = parseJson(bytes);
  if (!parsed.ok) return parsed;
  const logs: OtlpLog[] = [];
  const keys = { resources: 'resourceLogs', scopes: 'scopeLogs', items: 'logRecords' };
  const fits = walkJson(parsed.value, keys, lim, (v, resource, scope) => {
    const l = obj(v);
    logs.push({
      timeUs: nanosToUs(l.timeUnixNano),
      observedUs: nanosToUs(l.observedTimeUnixNano),
      severityNumber: enumValue(l.severityNumber, []),
      severityText: str(l.severityText),
      body: anyValue(l.body, lim, 0),
      attributes: keyValues(l.attributes, lim),
      traceId: jsonId(l.traceId, 16),
      spanId: jsonId(l.spanId, 8),
      resource,
      scope,
    });
    return 1;
  });
  if (!fits) return { ok: false, error: `more than ${lim.maxItems} log records in one request` };
  return { ok: true, value: logs };
}
