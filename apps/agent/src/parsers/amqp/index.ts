/**
 * AMQP 0-9-1 (RabbitMQ). Frames are type, channel, size, payload, 0xCE; only method frames
 * become messages (content header/body and heartbeats are skipped). The channel is the
 * stream id: synchronous methods on a channel are serialised, so `queue.declare` pairs with
 * `queue.declare-ok` or with the `channel.close` that rejects it (reply code and text).
 */
import type { RequestLog } from '@zeroscope/wire';
import type { Direction } from '../../capture/types';
import { Cursor } from '../cursor';
import { type FrameBuffer, feedFrames, newFrameBuffer } from '../framing';
import type { L7Message, ParseContext, ProtocolParser } from '../types';
import { CLIENT_ONE_WAY, methodName, replyStatus, SERVER_UNSOLICITED } from './methods';

export interface AmqpState {
  request: FrameBuffer;
  response: FrameBuffer;
  vhost: string;
}

const VERSION = '0-9-1';
const FRAME_END = 0xce;
const MAX_FRAME = 128 * 1024 * 1024;
const HEADER = [0x41, 0x4d, 0x51, 0x50]; // "AMQP"

const isProtocolHeader = (b: Uint8Array, pos: number) => HEADER.every((v, i) => b[pos + i] === v);

function frameLength(bytes: Uint8Array, pos: number): number | undefined {
  if (isProtocolHeader(bytes, pos)) return 8;
  const c = new Cursor(bytes, pos);
  const type = c.u8();
  if (type === undefined) return undefined;
  if (type !== 1 && type !== 2 && type !== 3 && type !== 4 && type !== 8) return -1;
  c.skip(2);
  const size = c.u32();
  if (size === undefined) return undefined;
  return size > MAX_FRAME ? -1 : 8 + size;
}

const resyncAtChunkStart = (_b: Uint8Array, from: number): number => (from === 0 ? 0 : -1);

function shortstr(c: Cursor): string {
  const n = c.u8();
  return n === undefined ? '' : (c.str(Math.min(n, c.remaining)) ?? '');
}

/** The names a method acts on: exchange, routing key, queue. */
function target(name: string, c: Cursor): string {
  switch (name) {
    case 'exchange.declare':
    case 'exchange.delete':
    case 'queue.declare':
    case 'queue.purge':
    case 'queue.delete':
    case 'basic.consume':
    case 'basic.get':
      c.skip(2);
      return shortstr(c);
    case 'queue.bind':
    case 'queue.unbind': {
      c.skip(2);
      const queue = shortstr(c);
      const exchange = shortstr(c);
      return `${queue} <- ${exchange}/${shortstr(c)}`;
    }
    case 'exchange.bind':
    case 'exchange.unbind': {
      c.skip(2);
      const destination = shortstr(c);
      const source = shortstr(c);
      return `${destination} <- ${source}/${shortstr(c)}`;
    }
    case 'basic.return':
      return `${shortstr(c)}/${shortstr(c)}`;
    case 'basic.publish':
      c.skip(2);
      return `${shortstr(c)}/${shortstr(c)}`;
    case 'basic.deliver':
      shortstr(c);
      c.skip(9);
      return `${shortstr(c)}/${shortstr(c)}`;
    default:
      return '';
  }
}

function method(
  st: AmqpState,
  bytes: Uint8Array,
  wire: number,
  ts: number,
  direction: Direction,
): L7Message | undefined {
  if (bytes[0] !== 1 || (bytes.length === wire && bytes[wire - 1] !== FRAME_END)) return undefined;
  const c = new Cursor(bytes, 1);
  const channel = c.u16() ?? 0;
  c.skip(4);
  const classId = c.u16();
  const methodId = c.u16();
  if (classId === undefined || methodId === undefined) return undefined;
  const name = methodName(classId, methodId);
  const fields: Partial<RequestLog> = { version: VERSION };
  const msg: L7Message = { direction, ts, length: wire, streamId: channel, fields };
  if (name === 'connection.open') st.vhost = shortstr(new Cursor(bytes, c.pos));
  if (st.vhost) fields.request_domain = st.vhost;
  if (name === 'connection.close' || name === 'channel.close' || name === 'basic.return') {
    const code = c.u16() ?? 0;
    const text = shortstr(c);
    fields.response_code = code;
    fields.response_status = replyStatus(code);
    if (code !== 200) fields.response_exception = text;
  }
  const resource = target(name, c);
  if (direction === 'request') {
    fields.request_type = name;
    if (resource) {
      fields.request_resource = resource;
      fields.endpoint = resource;
    }
    if (name.endsWith('.close')) {
      delete fields.response_code;
      delete fields.response_status;
      delete fields.response_exception;
    }
    if (CLIENT_ONE_WAY.has(name)) msg.oneWay = true;
    return msg;
  }
  fields.response_status ??= 'ok';
  if (SERVER_UNSOLICITED.has(name)) {
    msg.unsolicited = true;
    fields.request_type = name;
    if (resource) fields.request_resource = resource;
  } else if (name.endsWith('.close')) {
    fields.attribute_names = ['method'];
    fields.attribute_values = [name];
  }
  return msg;
}

export const amqpParser: ProtocolParser<AmqpState> = {
  protocol: 'amqp',

  infer(payload: Uint8Array, direction: Direction, _ctx: ParseContext): boolean {
    if (isProtocolHeader(payload, 0)) return payload[4] === 0 && payload.length >= 8;
    if (payload[0] !== 1) return false;
    const len = frameLength(payload, 0);
    if (len === undefined || len < 12 || len > payload.length || payload[len - 1] !== FRAME_END) return false;
    const c = new Cursor(payload, 7);
    const name = methodName(c.u16() ?? 0, c.u16() ?? 0);
    return direction === 'request' ? /^[a-z]+\.[a-z-]+$/.test(name) : name === 'connection.start';
  },

  newState: () => ({ request: newFrameBuffer(), response: newFrameBuffer(), vhost: '' }),

  feed(st, payload, direction, ts, ctx): L7Message[] {
    const out: L7Message[] = [];
    feedFrames(direction === 'request' ? st.request : st.response, payload, ts, ctx, frameLength, {
      resync: resyncAtChunkStart,
      frame: (b, wire, at) => {
        const m = method(st, b, wire, at, direction);
        if (m) out.push(m);
      },
    });
    return out;
  },
};
