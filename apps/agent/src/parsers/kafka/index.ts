/**
 * Kafka wire protocol: size-prefixed requests (api key, version, correlation id, client id)
 * and responses (correlation id). The correlation id is the stream id; a response is read
 * with the api key/version of its request. Produce and Fetch name their first topic;
 * Produce with acks=0 gets no response.
 */
import type { RequestLog } from '@zeroscope/wire';
import type { Direction } from '../../capture/types';
import { Cursor } from '../cursor';
import { type FrameBuffer, feedFrames, newFrameBuffer } from '../framing';
import type { L7Message, ParseContext, ProtocolParser } from '../types';
import { API_NAMES, errorLayout, isFlexible, MAX_API_VERSION } from './apis';

interface Sent {
  apiKey: number;
  version: number;
  topic: string;
}

export interface KafkaState {
  request: FrameBuffer;
  response: FrameBuffer;
  /** correlation id -> request, bounded */
  sent: Map<number, Sent>;
}

const MAX_SENT = 1024;
const MAX_FRAME = 256 * 1024 * 1024;

function uvarint(c: Cursor): number | undefined {
  let v = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    const b = c.u8();
    if (b === undefined) return undefined;
    v += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return v;
  }
  return undefined;
}

/** STRING/NULLABLE_STRING (i16 length) or COMPACT_STRING (uvarint length + 1). */
function kstring(c: Cursor, compact: boolean): string | undefined {
  const n = compact ? (uvarint(c) ?? 0) - 1 : c.u16();
  if (n === undefined) return undefined;
  if (n < 0 || n === 0xffff) return '';
  return c.str(Math.min(n, 1024));
}

function skipTags(c: Cursor): void {
  const n = uvarint(c) ?? 0;
  for (let i = 0; i < n && i < 64; i++) {
    uvarint(c);
    c.skip(uvarint(c) ?? 0);
  }
}

const arrayLen = (c: Cursor, compact: boolean): number | undefined =>
  compact ? (uvarint(c) ?? 0) - 1 : c.i32();

interface Body {
  topic: string;
  acks?: number;
}

function produceTopic(c: Cursor, version: number, flexible: boolean): Body {
  if (version >= 3) kstring(c, flexible);
  const acks = c.u16();
  c.skip(4);
  const n = arrayLen(c, flexible);
  const topic = n !== undefined && n > 0 ? (kstring(c, flexible) ?? '') : '';
  return { topic, acks: acks === 0xffff ? -1 : acks };
}

function fetchTopic(c: Cursor, version: number, flexible: boolean): Body {
  if (version < 15) c.skip(4);
  c.skip(8);
  if (version >= 3) c.skip(4);
  if (version >= 4) c.skip(1);
  if (version >= 7) c.skip(8);
  const n = arrayLen(c, flexible);
  if (n === undefined || n <= 0 || version >= 13) return { topic: '' };
  return { topic: kstring(c, flexible) ?? '' };
}

function request(st: KafkaState, bytes: Uint8Array, wire: number, ts: number): L7Message | undefined {
  const c = new Cursor(bytes, 4);
  const apiKey = c.u16();
  const version = c.u16();
  const correlationId = c.i32();
  if (apiKey === undefined || version === undefined || correlationId === undefined) return undefined;
  const clientId = kstring(c, false) ?? '';
  const flexible = isFlexible(apiKey, version);
  if (flexible) skipTags(c);
  let body: Body = { topic: '' };
  if (apiKey === 0) body = produceTopic(c, version, flexible);
  else if (apiKey === 1) body = fetchTopic(c, version, flexible);
  const name = API_NAMES[apiKey] ?? `Api${apiKey}`;
  const fields: Partial<RequestLog> = {
    request_type: name,
    request_id: correlationId,
    version: String(version),
  };
  if (clientId) {
    fields.attribute_names = ['client_id'];
    fields.attribute_values = [clientId];
  }
  if (body.topic) {
    fields.request_resource = body.topic;
    fields.endpoint = body.topic;
  }
  const oneWay = apiKey === 0 && body.acks === 0;
  if (!oneWay) {
    st.sent.set(correlationId, { apiKey, version, topic: body.topic });
    if (st.sent.size > MAX_SENT) st.sent.delete(st.sent.keys().next().value!);
  }
  return {
    direction: 'request',
    ts,
    length: wire,
    streamId: correlationId,
    fields,
    ...(oneWay ? { oneWay } : {}),
  };
}

function errorCode(c: Cursor, sent: Sent): number | undefined {
  const flexible = isFlexible(sent.apiKey, sent.version);
  if (flexible && sent.apiKey !== 18) skipTags(c);
  if (sent.apiKey === 0) {
    const n = arrayLen(c, flexible);
    if (n === undefined || n <= 0) return undefined;
    kstring(c, flexible);
    const parts = arrayLen(c, flexible);
    if (parts === undefined || parts <= 0) return undefined;
    c.skip(4);
    return c.u16();
  }
  const layout = errorLayout(sent.apiKey, sent.version);
  if (layout === undefined) return undefined;
  if (layout === 'throttle') c.skip(4);
  return c.u16();
}

function response(st: KafkaState, bytes: Uint8Array, wire: number, ts: number): L7Message | undefined {
  const c = new Cursor(bytes, 4);
  const correlationId = c.i32();
  if (correlationId === undefined) return undefined;
  const sent = st.sent.get(correlationId);
  st.sent.delete(correlationId);
  const fields: Partial<RequestLog> = { request_id: correlationId, response_status: 'ok' };
  if (sent) {
    const raw = errorCode(c, sent);
    if (raw !== undefined) {
      const code = raw > 0x7fff ? raw - 0x10000 : raw;
      fields.response_code = code;
      if (code !== 0) {
        fields.response_status = 'server_error';
        fields.response_exception = `error code ${code}`;
      }
    }
  }
  return { direction: 'response', ts, length: wire, streamId: correlationId, fields };
}

const frameLength = (bytes: Uint8Array, pos: number): number | undefined => {
  const size = new Cursor(bytes, pos).i32();
  if (size === undefined) return undefined;
  return size < 4 || size > MAX_FRAME ? -1 : size + 4;
};

function plausibleRequest(bytes: Uint8Array, pos: number): boolean {
  const c = new Cursor(bytes, pos);
  const size = c.i32();
  const apiKey = c.u16();
  const version = c.u16();
  c.skip(4);
  const clientLen = c.u16();
  return (
    size !== undefined &&
    size >= 10 &&
    size <= MAX_FRAME &&
    apiKey !== undefined &&
    API_NAMES[apiKey] !== undefined &&
    version !== undefined &&
    version <= MAX_API_VERSION &&
    clientLen !== undefined &&
    (clientLen === 0xffff || clientLen <= 1024)
  );
}

export const kafkaParser: ProtocolParser<KafkaState> = {
  protocol: 'kafka',

  infer(payload: Uint8Array, direction: Direction, ctx: ParseContext): boolean {
    if (direction !== 'request' || !plausibleRequest(payload, 0)) return false;
    const size = new Cursor(payload).i32()!;
    if (size + 4 !== ctx.totalLength && size + 4 > payload.length && ctx.totalLength === payload.length) {
      return false;
    }
    const c = new Cursor(payload, 12);
    const id = kstring(c, false);
    return id !== undefined && /^[\x20-\x7e]*$/.test(id);
  },

  newState: () => ({ request: newFrameBuffer(), response: newFrameBuffer(), sent: new Map() }),

  feed(st, payload, direction, ts, ctx): L7Message[] {
    const out: L7Message[] = [];
    const isRequest = direction === 'request';
    feedFrames(isRequest ? st.request : st.response, payload, ts, ctx, frameLength, {
      resync: (b, from) => {
        if (from !== 0) return -1;
        if (isRequest) return plausibleRequest(b, 0) ? 0 : -1;
        const id = new Cursor(b, 4).i32();
        return id !== undefined && st.sent.has(id) ? 0 : -1;
      },
      frame: (b, wire, at) => {
        const m = isRequest ? request(st, b, wire, at) : response(st, b, wire, at);
        if (m) out.push(m);
      },
    });
    return out;
  },
};
