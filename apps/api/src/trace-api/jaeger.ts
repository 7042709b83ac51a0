/**
 * An assembled trace (tracing/types.ts) in the shapes other UIs read from GET
 * /api/traces/:id: Jaeger's query-service JSON (`data[0].spans`, `processes`) and, in the
 * same object, Tempo's OTLP-JSON `batches` (ids base64 as protojson writes bytes). Pure.
 */
import type { Trace, TraceSpan } from '../tracing/types';

type Tag = { key: string; type: 'string' | 'int64' | 'bool'; value: string | number | boolean };

export function spanTags(s: TraceSpan): Tag[] {
  const out: Tag[] = [
    { key: 'zeroscope.kind', type: 'string', value: s.kind },
    { key: 'zeroscope.observation_point', type: 'string', value: s.observationPoint },
    { key: 'zeroscope.signal_source', type: 'string', value: s.signalSource },
  ];
  const str = (key: string, v: string) => v && out.push({ key, type: 'string', value: v });
  str('l7.protocol', s.l7Protocol);
  str('request.type', s.requestType);
  str('request.domain', s.requestDomain);
  str('request.resource', s.requestResource);
  str('process.name', s.processName);
  str('server.address', s.ip);
  if (s.port) out.push({ key: 'server.port', type: 'int64', value: s.port });
  if (s.responseCode) out.push({ key: 'response.code', type: 'int64', value: s.responseCode });
  if (s.status === 'server_error' || s.status === 'client_error' || s.status === 'timeout')
    out.push({ key: 'error', type: 'bool', value: true });
  str('response.status', s.status);
  str('response.exception', s.responseException);
  if (s.linkedBy) str('zeroscope.linked_by', s.linkedBy);
  if (s.unlinkedReason) str('zeroscope.unlinked_reason', s.unlinkedReason);
  return out;
}

/** Jaeger span ids are 16 hex digits; longer/odd ids are folded to that. */
export const toHex16 = (id: string) =>
  /^[0-9a-f]{16}$/.test(id)
    ? id
    : id
        .replace(/[^0-9a-f]/g, '')
        .slice(-16)
        .padStart(16, '0');
export const toHex32 = (id: string) =>
  /^[0-9a-f]{32}$/.test(id)
    ? id
    : id
        .replace(/[^0-9a-f]/g, '')
        .slice(-32)
        .padStart(32, '0');
const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

export function toJaeger(trace: Trace) {
  const traceID = toHex32(trace.traceId);
  const services = [...new Set(trace.spans.map((s) => s.service))];
  const pid = (svc: string) => `p${services.indexOf(svc) + 1}`;
  const spans = trace.spans.map((s) => ({
    traceID,
    spanID: toHex16(s.spanId),
    operationName: s.name,
    references: s.parentSpanId ? [{ refType: 'CHILD_OF', traceID, spanID: toHex16(s.parentSpanId) }] : [],
    startTime: s.startUs,
    duration: Math.max(0, s.endUs - s.startUs),
    tags: spanTags(s),
    logs: [],
    processID: pid(s.service),
    warnings: s.unlinkedReason ? [`unlinked: ${s.unlinkedReason}`] : null,
  }));
  const processes = Object.fromEntries(services.map((svc) => [pid(svc), { serviceName: svc, tags: [] }]));
  const batches = services.map((svc) => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: svc } }] },
    scopeSpans: [
      {
        scope: { name: 'zeroscope' },
        spans: trace.spans
          .filter((s) => s.service === svc)
          .map((s) => ({
            traceId: b64(traceID),
            spanId: b64(toHex16(s.spanId)),
            ...(s.parentSpanId ? { parentSpanId: b64(toHex16(s.parentSpanId)) } : {}),
            name: s.name,
            kind: s.observationPoint.startsWith('c')
              ? 'SPAN_KIND_CLIENT'
              : s.kind === 'app'
                ? 'SPAN_KIND_INTERNAL'
                : 'SPAN_KIND_SERVER',
            startTimeUnixNano: String(s.startUs * 1000),
            endTimeUnixNano: String(s.endUs * 1000),
            attributes: spanTags(s).map((t) => ({
              key: t.key,
              value:
                t.type === 'int64'
                  ? { intValue: String(t.value) }
                  : t.type === 'bool'
                    ? { boolValue: t.value }
                    : { stringValue: String(t.value) },
            })),
            status: spanTags(s).some((t) => t.key === 'error') ? { code: 'STATUS_CODE_ERROR' } : {},
          })),
      },
    ],
  }));
  return {
    data: [{ traceID, spans, processes, warnings: null }],
    total: 0,
    limit: 0,
    offset: 0,
    errors: null,
    batches,
  };
}
