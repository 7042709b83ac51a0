/**
 * HTTP/2 and gRPC header lists -> record fields. gRPC (content-type application/grpc) is
 * recorded as l7_protocol 'grpc' with endpoint = /pkg.Service/Method, request_domain = the
 * service, and status from the grpc-status trailer.
 */
import type { RequestLog, ResponseStatus } from '@zeroscope/wire';
import { statusOf } from '../http1/head';
import { TraceHeaders } from '../http1/trace-headers';
import type { Header } from './hpack';

export const isGrpcContentType = (v: string | undefined) => v?.startsWith('application/grpc') ?? false;

/** gRPC codes the caller caused (RFC-less: grpc/doc/statuscodes.md). */
const GRPC_CLIENT = new Set([1, 3, 5, 6, 7, 9, 11, 16]);

export function grpcStatus(code: number): ResponseStatus {
  if (code === 0) return 'ok';
  return GRPC_CLIENT.has(code) ? 'client_error' : 'server_error';
}

export function requestFields(headers: Header[]): { fields: Partial<RequestLog>; grpc: boolean } {
  const trace = new TraceHeaders();
  let method = '';
  let path = '';
  let authority = '';
  let host = '';
  let contentType: string | undefined;
  let xrid = '';
  let ua = '';
  for (const [n, v] of headers) {
    switch (n) {
      case ':method':
        method = v;
        break;
      case ':path':
        path = v;
        break;
      case ':authority':
        authority = v;
        break;
      case 'host':
        host = v;
        break;
      case 'content-type':
        contentType = v;
        break;
      case 'x-request-id':
        xrid = v;
        break;
      case 'user-agent':
        ua = v;
        break;
      default:
        trace.offer(n, v);
    }
  }
  const grpc = isGrpcContentType(contentType);
  const q = path.search(/[?#]/);
  const fields: Partial<RequestLog> = {
    l7_protocol: grpc ? 'grpc' : 'http2',
    version: '2',
    request_type: method,
    request_resource: path,
    endpoint: q < 0 ? path : path.slice(0, q),
    request_domain: authority || host,
  };
  if (grpc && path.startsWith('/')) {
    const slash = path.indexOf('/', 1);
    if (slash > 1) fields.request_domain = path.slice(1, slash);
  }
  if (xrid) fields.x_request_id_0 = xrid;
  if (ua) {
    fields.attribute_names = ['http.user_agent'];
    fields.attribute_values = [ua];
  }
  Object.assign(fields, trace.result());
  return { fields, grpc };
}

export interface ResponseHead {
  status?: number;
  grpcStatus?: number;
  grpcMessage?: string;
  grpc: boolean;
  xrid?: string;
}

export function responseHead(headers: Header[]): ResponseHead {
  const out: ResponseHead = { grpc: false };
  for (const [n, v] of headers) {
    if (n === ':status') out.status = Number(v);
    else if (n === 'grpc-status') out.grpcStatus = Number(v);
    else if (n === 'grpc-message') out.grpcMessage = decodeGrpcMessage(v);
    else if (n === 'content-type') out.grpc = isGrpcContentType(v);
    else if (n === 'x-request-id') out.xrid = v;
  }
  return out;
}

export function responseFields(h: ResponseHead, grpc: boolean): Partial<RequestLog> {
  const f: Partial<RequestLog> = { version: '2' };
  if (grpc) f.l7_protocol = 'grpc';
  if (h.status !== undefined && Number.isInteger(h.status)) {
    f.response_code = h.status;
    f.response_status = statusOf(h.status);
  }
  if (h.grpcStatus !== undefined && Number.isInteger(h.grpcStatus)) {
    f.response_code = h.grpcStatus;
    f.response_status = grpcStatus(h.grpcStatus);
  }
  if (h.grpcMessage) f.response_exception = h.grpcMessage;
  if (h.xrid) f.x_request_id_1 = h.xrid;
  return f;
}

/** grpc-message is percent-encoded. */
function decodeGrpcMessage(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
