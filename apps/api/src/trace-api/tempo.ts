/**
 * The Tempo protobuf answer of GET /api/traces/:id (`Accept: application/protobuf`, what
 * Grafana's Tempo datasource asks for): `Trace { repeated ResourceSpans batches = 1 }`,
 * field-compatible with OTLP's TracesData, one ResourceSpans per service.
 */
import { ProtoWriter } from '../otlp/proto-writer';
import type { Trace, TraceSpan } from '../tracing/types';
import { spanTags, toHex16, toHex32 } from './jaeger';

const kv = (key: string, value: string | number | boolean): ProtoWriter => {
  const v = new ProtoWriter();
  if (typeof value === 'string') v.string(1, value);
  else if (typeof value === 'boolean') v.uint(2, value ? 1 : 0);
  else v.uint(3, value);
  return new ProtoWriter().string(1, key).message(2, v);
};

/** SpanKind: 1 internal, 2 server, 3 client. */
const kindOf = (s: TraceSpan) => (s.observationPoint.startsWith('c') ? 3 : s.kind === 'app' ? 1 : 2);

export function toTempoProto(trace: Trace): Uint8Array {
  const traceId = Buffer.from(toHex32(trace.traceId), 'hex');
  const out = new ProtoWriter();
  const services = [...new Set(trace.spans.map((s) => s.service))];
  for (const svc of services) {
    const scope = new ProtoWriter().message(1, new ProtoWriter().string(1, 'zeroscope'));
    for (const s of trace.spans.filter((x) => x.service === svc)) {
      const span = new ProtoWriter().bytes(1, traceId).bytes(2, Buffer.from(toHex16(s.spanId), 'hex'));
      if (s.parentSpanId) span.bytes(4, Buffer.from(toHex16(s.parentSpanId), 'hex'));
      span
        .string(5, s.name)
        .uint(6, kindOf(s))
        .fixed64(7, BigInt(s.startUs) * 1000n)
        .fixed64(8, BigInt(s.endUs) * 1000n);
      const tags = spanTags(s);
      for (const t of tags) span.message(9, kv(t.key, t.value));
      if (tags.some((t) => t.key === 'error')) span.message(15, new ProtoWriter().uint(3, 2));
      scope.message(2, span);
    }
    const resource = new ProtoWriter().message(1, kv('service.name', svc));
    out.message(1, new ProtoWriter().message(1, resource).message(2, scope));
  }
  return out.finish();
}
