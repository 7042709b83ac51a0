/**
 * OTLP spans as request-log rows (PRODUCT.md §3.1: observation_point 'app', signal_source
 * 'otel'), so trace assembly joins them to eBPF records by trace_id/span_id
 * (tracing/link-app.ts). Semantic-convention attributes (old and new names) fill the
 * request fields; every attribute is kept in attribute_names/values.
 */
import { emptyRequestLog, type L7Protocol, type RequestLog } from '@zeroscope/wire/records';
import type { IntakeTags, NameLookup } from '../intake/resource-tags';
import { INTAKE_TAG_NAMES, resolveTags } from '../intake/resource-tags';
import { attr, attrString, attrText, type KeyValue, type OtlpSpan } from './model';

const MAX_ATTRIBUTES = 64;
const MAX_TEXT = 4096;

const DB_PROTOCOLS: Record<string, L7Protocol> = {
  mysql: 'mysql',
  mariadb: 'mysql',
  postgresql: 'postgresql',
  redis: 'redis',
  kafka: 'kafka',
  rabbitmq: 'amqp',
};

function protocolOf(a: readonly KeyValue[]): L7Protocol {
  if (attrString(a, 'rpc.system') === 'grpc') return 'grpc';
  if (attrString(a, 'http.request.method', 'http.method')) {
    const v = attrString(a, 'network.protocol.version', 'http.flavor');
    return v === '2' || v === '2.0' ? 'http2' : 'http1';
  }
  const db = attrString(a, 'db.system.name', 'db.system', 'messaging.system');
  return (db && DB_PROTOCOLS[db]) || ('unknown' as L7Protocol);
}

const clip = (s: string) => (s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s);
const int = (v: unknown) => {
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : 0;
};

function statusOf(s: OtlpSpan, code: number): RequestLog['response_status'] {
  if (code >= 500) return 'server_error';
  if (code >= 400) return 'client_error';
  if (s.statusCode === 2) return 'server_error';
  return 'ok';
}

/** Client and producer spans describe the caller: their resource ids go on the `_0` end. */
function placeTags(row: RequestLog, s: OtlpSpan, tags: IntakeTags): void {
  const end = s.kind === 3 || s.kind === 4 ? 0 : 1;
  const r = row as unknown as Record<string, number>;
  for (const n of INTAKE_TAG_NAMES) r[`${n}_${end}`] = tags[n];
}

export function spanToRow(s: OtlpSpan, lookup: NameLookup): RequestLog {
  const a = s.attributes;
  const code = int(
    attr(a, 'http.response.status_code') ?? attr(a, 'http.status_code') ?? attr(a, 'rpc.grpc.status_code'),
  );
  const target = attrString(a, 'http.target') ?? attrString(a, 'url.path');
  const query = attrString(a, 'url.query');
  const service = attrString(s.resource, 'service.name') ?? 'unknown_service';
  const row: RequestLog = {
    ...emptyRequestLog(),
    start_time: s.startUs,
    end_time: Math.max(s.endUs, s.startUs),
    response_duration: Math.max(0, s.endUs - s.startUs),
    l7_protocol: protocolOf(a),
    request_type: clip(
      attrString(
        a,
        'http.request.method',
        'http.method',
        'db.operation.name',
        'db.operation',
        'rpc.method',
      ) ?? '',
    ),
    request_domain: clip(attrString(a, 'server.address', 'http.host', 'net.peer.name', 'rpc.service') ?? ''),
    request_resource: clip(
      attrString(a, 'url.full', 'http.url', 'db.query.text', 'db.statement') ??
        (target ? (query ? `${target}?${query}` : target) : ''),
    ),
    endpoint: clip(s.name),
    response_status: statusOf(s, code),
    response_code: code,
    response_exception: clip(s.statusMessage),
    trace_id: s.traceId,
    span_id: s.spanId,
    parent_span_id: s.parentSpanId,
    server_port: Math.min(65535, Math.max(0, int(attr(a, 'server.port') ?? attr(a, 'net.host.port')))),
    process_kname_1: clip(service),
    observation_point: 'app',
    signal_source: 'otel',
  };
  const names: string[] = ['service.name', 'span.kind', 'otel.scope.name'];
  const values: string[] = [service, String(s.kind), s.scope];
  for (const kv of [...s.resource, ...a]) {
    if (names.length >= MAX_ATTRIBUTES) break;
    if (kv.key === 'service.name') continue;
    names.push(clip(kv.key));
    values.push(clip(attrText(kv.value)));
  }
  row.attribute_names = names;
  row.attribute_values = values;
  const get = (k: string) => attrString(s.resource, k) ?? attrString(a, k);
  placeTags(row, s, resolveTags(get, lookup));
  return row;
}
