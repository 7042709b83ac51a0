/**
 * Distributed-tracing headers shared by HTTP/1 and HTTP/2: W3C traceparent, B3 (single and
 * multi header), SkyWalking sw8 and Jaeger uber-trace-id. Header names arrive lowercased.
 * The first present in that priority order wins.
 */
import type { RequestLog } from '@zeroscope/wire';

export type TraceFields = Pick<Partial<RequestLog>, 'trace_id' | 'span_id' | 'parent_span_id'>;

const HEX = /^[0-9a-f]+$/i;

export const TRACE_HEADER_NAMES: readonly string[] = [
  'traceparent',
  'b3',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'sw8',
  'uber-trace-id',
];

/** Trace fields from already collected (lowercase-named) headers, by the priority above. */
export function traceFields(h: Readonly<Record<string, string | undefined>>): TraceFields | undefined {
  const tp = h.traceparent;
  if (tp !== undefined) {
    const r = parseTraceparent(tp);
    if (r) return r;
  }
  const b3 = h.b3;
  if (b3 !== undefined) {
    const r = parseB3(b3);
    if (r) return r;
  }
  const b3t = h['x-b3-traceid'];
  if (b3t !== undefined) {
    const r = b3Multi(b3t, h['x-b3-spanid'], h['x-b3-parentspanid']);
    if (r) return r;
  }
  if (h.sw8 !== undefined) {
    const r = parseSw8(h.sw8);
    if (r) return r;
  }
  return h['uber-trace-id'] === undefined ? undefined : parseUber(h['uber-trace-id']);
}

/** Collects trace headers while headers are scanned; `result()` applies the priority. */
export class TraceHeaders {
  private traceparent?: string;
  private b3?: string;
  private b3Trace?: string;
  private b3Span?: string;
  private b3Parent?: string;
  private sw8?: string;
  private uber?: string;

  /** Returns true when the header was a trace header. */
  offer(name: string, value: string): boolean {
    switch (name) {
      case 'traceparent':
        this.traceparent = value;
        return true;
      case 'b3':
        this.b3 = value;
        return true;
      case 'x-b3-traceid':
        this.b3Trace = value;
        return true;
      case 'x-b3-spanid':
        this.b3Span = value;
        return true;
      case 'x-b3-parentspanid':
        this.b3Parent = value;
        return true;
      case 'sw8':
        this.sw8 = value;
        return true;
      case 'uber-trace-id':
        this.uber = value;
        return true;
      default:
        return false;
    }
  }

  result(): TraceFields | undefined {
    return (
      (this.traceparent && parseTraceparent(this.traceparent)) ||
      (this.b3 && parseB3(this.b3)) ||
      (this.b3Trace && b3Multi(this.b3Trace, this.b3Span, this.b3Parent)) ||
      (this.sw8 && parseSw8(this.sw8)) ||
      (this.uber && parseUber(this.uber)) ||
      undefined
    );
  }
}

/** 1 = lowercase hex digit, 2 = uppercase hex digit, 0 = not hex */
function hexRun(v: string, from: number, to: number): number {
  let upper = 0;
  for (let i = from; i < to; i++) {
    const c = v.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) continue;
    if (c >= 65 && c <= 70) upper = 1;
    else return 0;
  }
  return upper ? 2 : 1;
}

/** version-traceid(32)-spanid(16)-flags, W3C Trace Context §3.2 */
export function parseTraceparent(raw: string): TraceFields | undefined {
  const v = raw.charCodeAt(0) === 32 ? raw.trim() : raw;
  if (v.length < 55 || v[2] !== '-' || v[35] !== '-' || v[52] !== '-') return undefined;
  const t = hexRun(v, 3, 35);
  const s = hexRun(v, 36, 52);
  if (t === 0 || s === 0) return undefined;
  const trace = v.slice(3, 35);
  const span = v.slice(36, 52);
  return { trace_id: t === 2 ? trace.toLowerCase() : trace, span_id: s === 2 ? span.toLowerCase() : span };
}

export function parseB3(v: string): TraceFields | undefined {
  const p = v.trim().split('-');
  if (p.length < 2 || !HEX.test(p[0]!) || !HEX.test(p[1]!)) return undefined;
  const out: TraceFields = { trace_id: p[0]!.toLowerCase(), span_id: p[1]!.toLowerCase() };
  if (p[3] && HEX.test(p[3])) out.parent_span_id = p[3].toLowerCase();
  return out;
}

function b3Multi(trace: string, span?: string, parent?: string): TraceFields | undefined {
  const t = trace.trim();
  if (!HEX.test(t)) return undefined;
  const out: TraceFields = { trace_id: t.toLowerCase() };
  if (span && HEX.test(span.trim())) out.span_id = span.trim().toLowerCase();
  if (parent && HEX.test(parent.trim())) out.parent_span_id = parent.trim().toLowerCase();
  return out;
}

/** sw8: sample-traceId-segmentId-spanId-service-instance-endpoint-target (ids base64). */
export function parseSw8(v: string): TraceFields | undefined {
  const p = v.trim().split('-');
  if (p.length < 4) return undefined;
  const trace = b64(p[1]!);
  const segment = b64(p[2]!);
  if (!trace || !segment || !/^\d+$/.test(p[3]!)) return undefined;
  return { trace_id: trace, span_id: `${segment}-${p[3]}` };
}

function parseUber(v: string): TraceFields | undefined {
  const p = v.trim().split(':');
  if (p.length < 4 || !HEX.test(p[0]!) || !HEX.test(p[1]!)) return undefined;
  const out: TraceFields = { trace_id: p[0]!.toLowerCase(), span_id: p[1]!.toLowerCase() };
  if (HEX.test(p[2]!) && !/^0+$/.test(p[2]!)) out.parent_span_id = p[2]!.toLowerCase();
  return out;
}

function b64(s: string): string | undefined {
  if (!/^[A-Za-z0-9+/=_]+$/.test(s)) return undefined;
  const out = Buffer.from(s, 'base64').toString('utf8');
  // printable ASCII only: anything else means the field was not base64 text
  return /^[\x20-\x7e]+$/.test(out) ? out : undefined;
}
