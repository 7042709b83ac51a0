/**
 * DNS over UDP (one message per datagram) and TCP (2-byte length prefix, messages buffered
 * across segments). Requests and responses pair by DNS id (streamId).
 */
import type { RequestLog, ResponseStatus } from '@zeroscope/wire';
import type { Direction } from '../../capture/types';
import type { L7Message, ParseContext, ProtocolParser } from '../types';
import { type DnsMessage, parseDnsMessage, QTYPES } from './message';

export interface DnsState {
  /** TCP: unfinished length-prefixed bytes per direction */
  request: Uint8Array | undefined;
  response: Uint8Array | undefined;
}

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
const MAX_TCP_MESSAGE = 16 * 1024;

function statusOf(rcode: number): ResponseStatus {
  if (rcode === 0) return 'ok';
  if (rcode === 3 || rcode === 1 || rcode === 5) return 'client_error';
  return 'server_error';
}

function toMessage(m: DnsMessage, direction: Direction, ts: number, length: number): L7Message {
  const fields: Partial<RequestLog> = {
    l7_protocol: 'dns',
    request_id: m.id,
    request_type: QTYPES[m.qtype] ?? String(m.qtype),
    request_domain: m.qname,
    request_resource: m.qname,
  };
  if (m.isResponse) {
    fields.response_code = m.rcode;
    fields.response_status = statusOf(m.rcode);
    if (m.result) fields.response_result = m.result;
    if (m.rcode !== 0) fields.response_exception = RCODES[m.rcode] ?? `RCODE${m.rcode}`;
  }
  return { direction, ts, streamId: m.id, length, fields };
}

function looksLikeDns(bytes: Uint8Array, direction: Direction): boolean {
  const m = parseDnsMessage(bytes);
  return m !== undefined && m.isResponse === (direction === 'response') && m.qname.length > 0;
}

const isTcp = (ctx: ParseContext, payload: Uint8Array) =>
  ctx.transport
    ? ctx.transport === 'tcp'
    : payload.length >= 2 && ((payload[0]! << 8) | payload[1]!) === payload.length - 2;

export const dnsParser: ProtocolParser<DnsState> = {
  protocol: 'dns',
  infer(payload, direction, ctx) {
    if (isTcp(ctx, payload)) {
      const len = payload.length >= 2 ? (payload[0]! << 8) | payload[1]! : 0;
      return len >= 12 && len <= payload.length - 2 && looksLikeDns(payload.subarray(2, 2 + len), direction);
    }
    return looksLikeDns(payload, direction);
  },
  newState: () => ({ request: undefined, response: undefined }),
  feed(s, payload, direction, ts, ctx) {
    const out: L7Message[] = [];
    if (!isTcp(ctx, payload)) {
      const m = parseDnsMessage(payload);
      if (m && m.isResponse === (direction === 'response'))
        out.push(toMessage(m, direction, ts, payload.length));
      return out;
    }
    let data = payload;
    const prev = ctx.gap ? undefined : s[direction];
    if (prev) {
      data = new Uint8Array(prev.length + payload.length);
      data.set(prev);
      data.set(payload, prev.length);
    }
    s[direction] = undefined;
    let pos = 0;
    while (data.length - pos >= 2) {
      const len = (data[pos]! << 8) | data[pos + 1]!;
      if (len < 12 || len > MAX_TCP_MESSAGE) return out; // lost framing: drop until a fresh start
      if (data.length - pos - 2 < len) break;
      const m = parseDnsMessage(data.subarray(pos + 2, pos + 2 + len));
      if (m && m.isResponse === (direction === 'response')) out.push(toMessage(m, direction, ts, len + 2));
      pos += 2 + len;
    }
    if (pos < data.length) s[direction] = data.slice(pos);
    return out;
  },
};
