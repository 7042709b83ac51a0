/** ExportTraceServiceRequest (trace.proto) from protobuf bytes into OtlpSpan records. */
import {
  DEFAULT_DECODE_LIMITS,
  type Decoded,
  type DecodeLimits,
  type KeyValue,
  type OtlpSpan,
} from './model';
import { hexId, ProtoCursor, WIRE } from './proto';
import { pushAttribute, walkEnvelopes } from './proto-common';

/** Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind, 7/8 times, 9 attributes, 15 status. */
function readSpan(c: ProtoCursor, lim: DecodeLimits, resource: KeyValue[], scope: string): OtlpSpan {
  const s: OtlpSpan = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    name: '',
    kind: 0,
    startUs: 0,
    endUs: 0,
    attributes: [],
    statusCode: 0,
    statusMessage: '',
    resource,
    scope,
  };
  for (let t = c.tag(); t; t = c.tag()) {
    const len = t.wire === WIRE.len;
    if (t.field === 1 && len) s.traceId = hexId(c.bytes());
    else if (t.field === 2 && len) s.spanId = hexId(c.bytes());
    else if (t.field === 4 && len) s.parentSpanId = hexId(c.bytes());
    else if (t.field === 5 && len) s.name = c.string() ?? '';
    else if (t.field === 6 && t.wire === WIRE.varint) s.kind = c.varint() ?? 0;
    else if (t.field === 7 && t.wire === WIRE.i64) s.startUs = Math.floor((c.fixed64() ?? 0) / 1000);
    else if (t.field === 8 && t.wire === WIRE.i64) s.endUs = Math.floor((c.fixed64() ?? 0) / 1000);
    else if (t.field === 9 && len) pushAttribute(c, lim, s.attributes);
    else if (t.field === 15 && len) {
      const m = c.message();
      if (!m) break;
      for (let u = m.tag(); u; u = m.tag()) {
        if (u.field === 2 && u.wire === WIRE.len) s.statusMessage = m.string() ?? '';
        else if (u.field === 3 && u.wire === WIRE.varint) s.statusCode = m.varint() ?? 0;
        else m.skip(u.wire);
      }
      c.adopt(m);
    } else c.skip(t.wire);
  }
  return s;
}

export function decodeTracesProto(bytes: Uint8Array, lim = DEFAULT_DECODE_LIMITS): Decoded<OtlpSpan[]> {
  const root = new ProtoCursor(bytes);
  const spans: OtlpSpan[] = [];
  let over = false;
  walkEnvelopes(root, lim, (c, resource, scope) => {
    if (spans.length >= lim.maxItems) {
      over = true;
      return;
    }
    spans.push(readSpan(c, lim, resource, scope));
  });
  if (root.bad) return { ok: false, error: `malformed OTLP traces protobuf: ${root.why}` };
  if (over) return { ok: false, error: `more than ${lim.maxItems} spans in one request` };
  return { ok: true, value: spans };
}
