/**
 * The decoded OTLP data (opentelemetry-proto v1 trace/metrics/logs), the same whether it
 * came as protobuf or as JSON. Times are µs since the epoch; ids are lowercase hex.
 */

export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };

export interface KeyValue {
  key: string;
  value: AttrValue;
}

/** What every signal carries from its ResourceX / ScopeX envelopes. */
export interface Origin {
  resource: KeyValue[];
  scope: string;
}

export interface OtlpSpan extends Origin {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer */
  kind: number;
  startUs: number;
  endUs: number;
  attributes: KeyValue[];
  /** Status.code: 0 unset, 1 ok, 2 error */
  statusCode: number;
  statusMessage: string;
}

export type MetricType = 'gauge' | 'sum' | 'histogram' | 'summary' | 'exponential_histogram';

export interface OtlpPoint {
  attributes: KeyValue[];
  timeUs: number;
  /** gauge / sum */
  value?: number;
  /** histogram / summary / exponential histogram */
  count?: number;
  sum?: number;
  bounds?: number[];
  bucketCounts?: number[];
  quantiles?: { q: number; v: number }[];
}

export interface OtlpMetric extends Origin {
  name: string;
  unit: string;
  description: string;
  type: MetricType;
  monotonic: boolean;
  /** AggregationTemporality: 1 delta, 2 cumulative (0 for gauges/summaries) */
  temporality: number;
  points: OtlpPoint[];
}

export interface OtlpLog extends Origin {
  timeUs: number;
  observedUs: number;
  severityNumber: number;
  severityText: string;
  body: AttrValue;
  attributes: KeyValue[];
  traceId: string;
  spanId: string;
}

/** Decoders return a value or one clear error; they never throw. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

/** Caps that bound what a hostile payload can make a decoder allocate. */
export interface DecodeLimits {
  maxItems: number;
  maxAttributes: number;
  maxDepth: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxItems: 200_000, maxAttributes: 128, maxDepth: 8 };

/** The attribute's value as text (what request-log attribute columns and labels store). */
export function attrText(v: AttrValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function attr(kvs: readonly KeyValue[], key: string): AttrValue | undefined {
  for (const kv of kvs) if (kv.key === key) return kv.value;
  return undefined;
}

export function attrString(kvs: readonly KeyValue[], ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = attr(kvs, k);
    if (v !== undefined && v !== null && v !== '') return attrText(v);
  }
  return undefined;
}
