/** ExportLogsServiceRequest (logs.proto) from protobuf bytes into OtlpLog records. */
import { DEFAULT_DECODE_LIMITS, type Decoded, type DecodeLimits, type KeyValue, type OtlpLog } from './model';
import { hexId, ProtoCursor, WIRE } from './proto';
import { pushAttribute, readAnyValue, walkEnvelopes } from './proto-common';

/** LogRecord: 1 time, 11 observed time, 2 severity number, 3 text, 5 body, 6 attributes, 9/10 ids. */
function readLog(c: ProtoCursor, lim: DecodeLimits, resource: KeyValue[], scope: string): OtlpLog {
  const l: OtlpLog = {
    timeUs: 0,
    observedUs: 0,
    severityNumber: 0,
    severityText: '',
    body: null,
    attributes: [],
    traceId: '',
    spanId: '',
    resource,
    scope,
  };
  for (let t = c.tag(); t; t = c.tag()) {
    const len = t.wire === WIRE.len;
    if (t.field === 1 && t.wire === WIRE.i64) l.timeUs = Math.floor((c.fixed64() ?? 0) / 1000);
    else if (t.field === 11 && t.wire === WIRE.i64) l.observedUs = Math.floor((c.fixed64() ?? 0) / 1000);
    else if (t.field === 2 && t.wire === WIRE.varint) l.severityNumber = c.varint() ?? 0;
    else if (t.field === 3 && len) l.severityText = c.string() ?? '';
    else if (t.field === 5 && len) {
      const m = c.message();
      if (!m) break;
      l.body = readAnyValue(m, lim, 0);
      c.adopt(m);
    } else if (t.field === 6 && len) pushAttribute(c, lim, l.attributes);
    else if (t.field === 9 && len) l.traceId = hexId(c.bytes());
    else if (t.field === 10 && len) l.spanId = hexId(c.bytes());
    else c.skip(t.wire);
  }
  return l;
}

export function decodeLogsProto(bytes: Uint8Array, lim = DEFAULT_DECODE_LIMITS): Decoded<OtlpLog[]> {
  const root = new ProtoCursor(bytes);
  const logs: OtlpLog[] = [];
  let over = false;
  walkEnvelopes(root, lim, (c, resource, scope) => {
    if (logs.length >= lim.maxItems) {
      over = true;
      return;
    }
    logs.push(readLog(c, lim, resource, scope));
  });
  if (root.bad) return { ok: false, error: `malformed OTLP logs protobuf: ${root.why}` };
  if (over) return { ok: false, error: `more than ${lim.maxItems} log records in one request` };
  return { ok: true, value: logs };
}
