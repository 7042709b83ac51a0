/**
 * MQTT 3.1, 3.1.1 and 5.0. Client packets are requests, server packets responses; packet
 * ids are stream ids (PUBLISH QoS>0 -> PUBACK/PUBREC, PUBREL -> PUBCOMP, (UN)SUBSCRIBE ->
 * (UN)SUBACK). QoS 0 PUBLISH, DISCONNECT and the client's acks of server publishes are
 * one-way; server PUBLISH/PUBREL/DISCONNECT are unsolicited. Several packets per chunk.
 */
import type { RequestLog } from '@zeroscope/wire';
import type { Direction } from '../../capture/types';
import type { Cursor } from '../cursor';
import { type FrameBuffer, feedFrames, newFrameBuffer } from '../framing';
import type { L7Message, ParseContext, ProtocolParser } from '../types';
import {
  body,
  codeStatus,
  mqttString,
  packetLength,
  parseConnect,
  skipProperties,
  T,
  TYPE_NAMES,
  VERSION_NAMES,
} from './packets';

export interface MqttState {
  request: FrameBuffer;
  response: FrameBuffer;
  /** protocol level from CONNECT (4 = 3.1.1 when unseen) */
  level: number;
  clientId: string;
}

const MAX_TOPICS = 8;
/** PUBREL/PUBCOMP reuse the PUBLISH packet id: a second id space keeps the two QoS 2 legs apart. */
const RELEASE = 0x10000;
const resyncAtChunkStart = (_b: Uint8Array, from: number): number => (from === 0 ? 0 : -1);

function publish(c: Cursor, flags: number, v5: boolean): { topic: string; qos: number; id?: number } {
  const qos = (flags >> 1) & 3;
  const topic = mqttString(c) ?? '';
  const id = qos > 0 ? c.u16() : undefined;
  if (v5) skipProperties(c);
  return { topic, qos, id };
}

function topics(c: Cursor, withOptions: boolean): string {
  const out: string[] = [];
  while (c.remaining > 2 && out.length < MAX_TOPICS) {
    const t = mqttString(c);
    if (t === undefined) break;
    out.push(t);
    if (withOptions) c.skip(1);
  }
  return out.join(',');
}

function clientPacket(st: MqttState, bytes: Uint8Array, wire: number, ts: number): L7Message | undefined {
  const type = (bytes[0] ?? 0) >> 4;
  const flags = (bytes[0] ?? 0) & 0x0f;
  const c = body(bytes);
  const v5 = st.level === 5;
  const fields: Partial<RequestLog> = { request_type: TYPE_NAMES[type] };
  const msg: L7Message = { direction: 'request', ts, length: wire, fields };
  switch (type) {
    case T.CONNECT: {
      const conn = parseConnect(c);
      if (!conn) return undefined;
      st.level = conn.level;
      st.clientId = conn.clientId;
      break;
    }
    case T.PUBLISH: {
      const p = publish(c, flags, v5);
      fields.request_resource = p.topic;
      fields.endpoint = p.topic;
      if (p.id === undefined) msg.oneWay = true;
      else {
        msg.streamId = p.id;
        fields.request_id = p.id;
      }
      break;
    }
    case T.SUBSCRIBE:
    case T.UNSUBSCRIBE: {
      const id = c.u16();
      if (v5) skipProperties(c);
      fields.request_resource = topics(c, type === T.SUBSCRIBE);
      fields.endpoint = fields.request_resource.split(',')[0] ?? '';
      if (id !== undefined) {
        msg.streamId = id;
        fields.request_id = id;
      }
      break;
    }
    case T.PUBREL: {
      const id = c.u16();
      if (id !== undefined) {
        msg.streamId = RELEASE + id;
        fields.request_id = id;
      }
      break;
    }
    case T.PUBACK:
    case T.PUBREC:
    case T.PUBCOMP:
    case T.DISCONNECT:
    case T.AUTH:
      msg.oneWay = true;
      if (type !== T.DISCONNECT && type !== T.AUTH) fields.request_id = c.u16() ?? 0;
      break;
    case T.PINGREQ:
      break;
    default:
      return undefined;
  }
  if (st.level) fields.version = VERSION_NAMES[st.level] ?? String(st.level);
  if (st.clientId) fields.request_domain = st.clientId;
  return msg;
}

function serverPacket(st: MqttState, bytes: Uint8Array, wire: number, ts: number): L7Message | undefined {
  const type = (bytes[0] ?? 0) >> 4;
  const flags = (bytes[0] ?? 0) & 0x0f;
  const c = body(bytes);
  const v5 = st.level === 5;
  const fields: Partial<RequestLog> = { response_status: 'ok' };
  const msg: L7Message = { direction: 'response', ts, length: wire, fields };
  const setCode = (code: number | undefined) => {
    if (code === undefined) return;
    fields.response_code = code;
    fields.response_status = codeStatus(code, v5);
  };
  switch (type) {
    case T.CONNACK:
      c.skip(1);
      setCode(c.u8());
      break;
    case T.PUBACK:
    case T.PUBREC:
    case T.PUBCOMP:
    case T.UNSUBACK:
    case T.SUBACK: {
      const id = c.u16();
      if (id !== undefined) msg.streamId = type === T.PUBCOMP ? RELEASE + id : id;
      if (type === T.SUBACK || (type === T.UNSUBACK && v5)) {
        if (v5) skipProperties(c);
        let worst = 0;
        for (let code = c.u8(); code !== undefined; code = c.u8())
          if (code >= 0x80) worst = Math.max(worst, code);
        setCode(worst);
      } else if (v5 && c.remaining > 0) setCode(c.u8());
      break;
    }
    case T.PINGRESP:
      break;
    case T.PUBLISH: {
      const p = publish(c, flags, v5);
      msg.unsolicited = true;
      fields.request_type = 'PUBLISH';
      fields.request_resource = p.topic;
      fields.endpoint = p.topic;
      if (p.id !== undefined) fields.request_id = p.id;
      break;
    }
    case T.PUBREL:
    case T.DISCONNECT:
    case T.AUTH:
      msg.unsolicited = true;
      fields.request_type = TYPE_NAMES[type];
      if (v5 && type === T.DISCONNECT) setCode(c.u8());
      break;
    default:
      return undefined;
  }
  if (st.level) fields.version = VERSION_NAMES[st.level] ?? String(st.level);
  return msg;
}

/**
 * Without a CONNECT: the chunk is exactly a run of client packets that starts with a
 * PUBLISH (or SUBSCRIBE, whose flags must be 0b0010) naming a printable topic.
 */
function midStreamRequests(payload: Uint8Array): boolean {
  const first = payload[0] ?? 0;
  const type = first >> 4;
  if (type !== T.PUBLISH && !(type === T.SUBSCRIBE && (first & 0x0f) === 2)) return false;
  if (type === T.PUBLISH && ((first >> 1) & 3) === 3) return false;
  const c = body(payload);
  if (type === T.SUBSCRIBE) c.skip(2);
  const topic = mqttString(c);
  if (!topic || !/^[\x20-\x7e]+$/.test(topic)) return false;
  let pos = 0;
  for (let i = 0; i < 64 && pos < payload.length; i++) {
    const len = packetLength(payload, pos);
    if (len === undefined || len <= 0) return false;
    pos += len;
  }
  return pos === payload.length;
}

export const mqttParser: ProtocolParser<MqttState> = {
  protocol: 'mqtt',

  infer(payload: Uint8Array, direction: Direction, _ctx: ParseContext): boolean {
    if (direction !== 'request') return false;
    const type = (payload[0] ?? 0) >> 4;
    if (type === T.CONNECT) {
      const len = packetLength(payload, 0);
      return len !== undefined && len > 0 && parseConnect(body(payload)) !== undefined;
    }
    return midStreamRequests(payload);
  },

  newState: () => ({ request: newFrameBuffer(), response: newFrameBuffer(), level: 0, clientId: '' }),

  feed(st, payload, direction, ts, ctx): L7Message[] {
    const out: L7Message[] = [];
    const isRequest = direction === 'request';
    feedFrames(isRequest ? st.request : st.response, payload, ts, ctx, packetLength, {
      resync: resyncAtChunkStart,
      frame: (b, wire, at) => {
        const m = isRequest ? clientPacket(st, b, wire, at) : serverPacket(st, b, wire, at);
        if (m) out.push(m);
      },
    });
    return out;
  },
};
