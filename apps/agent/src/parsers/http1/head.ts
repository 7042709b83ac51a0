/**
 * HTTP/1.x start line + header block -> record fields and body framing. Works on a latin1
 * string of the head; a truncated head (capture cut it) yields what its lines carry.
 */
import type { RequestLog, ResponseStatus } from '@zeroscope/wire';
import { traceFields } from './trace-headers';

export const METHODS = new Set([
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'TRACE',
  'CONNECT',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
]);

export type Framing =
  | { kind: 'none' }
  | { kind: 'length'; length: number }
  | { kind: 'chunked' }
  /** response body delimited by connection close */
  | { kind: 'close' };

export interface Head {
  fields: Partial<RequestLog>;
  framing: Framing;
  method?: string;
  status?: number;
}

/** Path without query or fragment. */
export function pathOf(target: string): string {
  let end = target.length;
  const q = target.indexOf('?');
  if (q >= 0) end = q;
  const h = target.indexOf('#');
  if (h >= 0 && h < end) end = h;
  return end === target.length ? target : target.slice(0, end);
}

export function statusOf(code: number): ResponseStatus {
  if (code >= 400 && code < 500) return 'client_error';
  if (code >= 500 && code < 600) return 'server_error';
  if (code >= 100 && code < 400) return 'ok';
  return 'unknown';
}

interface HeaderScan {
  contentLength?: number;
  chunked: boolean;
  /** first value of each wanted header, trace headers included (a plain object is cheapest) */
  headers: Record<string, string>;
}

/** Header names we read; others are skipped without being lowercased or trimmed. */
const WANTED = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'user-agent',
  'referer',
  'x-request-id',
  'x-forwarded-for',
  'traceparent',
  'b3',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'sw8',
  'uber-trace-id',
]);
export const WANTED_LENGTHS = new Set([...WANTED].map((n) => n.length));

function scanHeaders(lines: string[]): HeaderScan {
  const out: HeaderScan = { chunked: false, headers: {} };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0 || !WANTED_LENGTHS.has(colon)) continue;
    const name = line.slice(0, colon).toLowerCase();
    if (!WANTED.has(name)) continue;
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      const n = Number(value);
      if (Number.isSafeInteger(n) && n >= 0) out.contentLength = n;
    } else if (name === 'transfer-encoding') {
      out.chunked = value.toLowerCase().includes('chunked');
    } else if (out.headers[name] === undefined) out.headers[name] = value;
  }
  return out;
}

const ATTRS: readonly [string, string][] = [
  ['user-agent', 'http.user_agent'],
  ['referer', 'http.referer'],
  ['x-forwarded-for', 'http.client_ip'],
];

export function parseRequestHead(lines: string[]): Head | undefined {
  const first = lines[0]!;
  const sp1 = first.indexOf(' ');
  if (sp1 <= 0) return undefined;
  const method = first.slice(0, sp1);
  if (!METHODS.has(method)) return undefined;
  const sp2 = first.indexOf(' ', sp1 + 1);
  const target = sp2 < 0 ? first.slice(sp1 + 1) : first.slice(sp1 + 1, sp2);
  const ver = sp2 < 0 ? '' : first.slice(sp2 + 1);
  const scan = scanHeaders(lines);
  const fields: Partial<RequestLog> = {
    l7_protocol: 'http1',
    version: ver.startsWith('HTTP/') ? ver.slice(5) : '1.1',
    request_type: method,
    request_resource: target,
    endpoint: pathOf(target),
  };
  const host = scan.headers.host;
  if (host) fields.request_domain = host;
  const xrid = scan.headers['x-request-id'];
  if (xrid) fields.x_request_id_0 = xrid;
  const trace = traceFields(scan.headers);
  if (trace) {
    if (trace.trace_id) fields.trace_id = trace.trace_id;
    if (trace.span_id) fields.span_id = trace.span_id;
    if (trace.parent_span_id) fields.parent_span_id = trace.parent_span_id;
  }
  for (const [h, attr] of ATTRS) {
    const v = scan.headers[h];
    if (v) {
      fields.attribute_names ??= [];
      fields.attribute_values ??= [];
      fields.attribute_names.push(attr);
      fields.attribute_values.push(v);
    }
  }
  const framing: Framing = scan.chunked
    ? { kind: 'chunked' }
    : scan.contentLength
      ? { kind: 'length', length: scan.contentLength }
      : { kind: 'none' };
  return { fields, framing, method };
}

export function parseResponseHead(lines: string[], requestMethod: string | undefined): Head | undefined {
  const first = lines[0]!;
  if (!first.startsWith('HTTP/1.') || first.length < 12) return undefined;
  const code = Number(first.slice(9, 12));
  if (!Number.isInteger(code) || code < 100 || code > 999) return undefined;
  const scan = scanHeaders(lines);
  const status = statusOf(code);
  // the record's version is the request's; a response only supplies it when the request was missed
  const fields: Partial<RequestLog> = {
    response_code: code,
    response_status: status,
  };
  if (status === 'client_error' || status === 'server_error') {
    const reason = first.slice(13).trim();
    if (reason) fields.response_exception = reason;
  }
  const xrid = scan.headers['x-request-id'];
  if (xrid) fields.x_request_id_1 = xrid;
  let framing: Framing;
  if (requestMethod === 'HEAD' || code < 200 || code === 204 || code === 304) framing = { kind: 'none' };
  else if (scan.chunked) framing = { kind: 'chunked' };
  else if (scan.contentLength !== undefined) {
    framing = scan.contentLength > 0 ? { kind: 'length', length: scan.contentLength } : { kind: 'none' };
  } else framing = { kind: 'close' };
  return { fields, framing, status: code };
}
