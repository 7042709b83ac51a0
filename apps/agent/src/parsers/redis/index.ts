/**
 * Redis (RESP2 and RESP3). Requests are arrays of bulk strings (or inline commands); every
 * reply is one value, replies come back in request order, so pipelined commands pair by
 * order. RESP3 pushes (`>`) and RESP2 pub/sub deliveries are unsolicited.
 */
import type { Direction } from '../../capture/types';
import { type FrameBuffer, feedFrames, newFrameBuffer } from '../framing';
import type { L7Message, ParseContext, ProtocolParser } from '../types';
import { isRespType, respLength, respLine, respStrings } from './resp';

export interface RedisState {
  request: FrameBuffer;
  response: FrameBuffer;
}

const MAX_ARGS = 16;
const MAX_ARG = 64;
const MAX_LINE = 256;
const MAX_INLINE = 4096;
const PUSH_KINDS = new Set(['message', 'pmessage', 'smessage']);

const text = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');

function frameLength(bytes: Uint8Array, pos: number): number | undefined {
  if (isRespType(bytes[pos])) return respLength(bytes, pos);
  const lf = bytes.indexOf(0x0a, pos);
  if (lf < 0) return bytes.length - pos > MAX_INLINE ? -1 : undefined;
  return lf + 1 - pos;
}

/** Start of the next line that begins with a RESP type byte. */
function resync(bytes: Uint8Array, from: number): number {
  for (let i = Math.max(from, 1); i < bytes.length; i++) {
    if (bytes[i - 1] === 0x0a && isRespType(bytes[i])) return i;
  }
  return from === 0 && isRespType(bytes[0]) ? 0 : -1;
}

function commandLine(args: string[]): string {
  const line = args.join(' ');
  return line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line;
}

function requestMessage(bytes: Uint8Array, wire: number, ts: number): L7Message | undefined {
  let args: string[];
  if (bytes[0] === 0x2a) args = respStrings(bytes, MAX_ARGS, MAX_ARG);
  else if (isRespType(bytes[0])) return undefined;
  else
    args = text(bytes.subarray(0, Math.min(bytes.length, MAX_LINE)))
      .trim()
      .split(/\s+/)
      .filter((a) => a.length > 0);
  if (args.length === 0) return undefined;
  const command = args[0]!.toUpperCase();
  return {
    direction: 'request',
    ts,
    length: wire,
    fields: { request_type: command, request_resource: commandLine(args) },
  };
}

function responseMessage(bytes: Uint8Array, wire: number, ts: number): L7Message {
  const type = bytes[0];
  const msg: L7Message = { direction: 'response', ts, length: wire, fields: { response_status: 'ok' } };
  if (type === 0x2d || type === 0x21) {
    const error = respLine(bytes, MAX_LINE);
    msg.fields = { response_status: 'server_error', response_exception: error };
  } else if (type === 0x3e) {
    msg.unsolicited = true;
  } else if (type === 0x2a) {
    const head = respStrings(bytes, 1, 16)[0];
    if (head !== undefined && PUSH_KINDS.has(head)) msg.unsolicited = true;
  }
  return msg;
}

export const redisParser: ProtocolParser<RedisState> = {
  protocol: 'redis',

  infer(payload: Uint8Array, direction: Direction, ctx: ParseContext): boolean {
    if (direction === 'response') return ctx.serverPort === 6379 && isRespType(payload[0]);
    if (payload[0] !== 0x2a) return false;
    const args = respStrings(payload, 1, 32);
    return args.length === 1 && /^[A-Za-z][A-Za-z._-]*$/.test(args[0]!);
  },

  newState: () => ({ request: newFrameBuffer(), response: newFrameBuffer() }),

  feed(state, payload, direction, ts, ctx): L7Message[] {
    const out: L7Message[] = [];
    const buf = direction === 'request' ? state.request : state.response;
    feedFrames(buf, payload, ts, ctx, frameLength, {
      resync,
      frame(bytes, wire, at) {
        if (direction === 'response') {
          out.push(responseMessage(bytes, wire, at));
          return;
        }
        const m = requestMessage(bytes, wire, at);
        if (m) out.push(m);
      },
    });
    return out;
  },
};
