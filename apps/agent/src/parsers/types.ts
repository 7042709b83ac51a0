/**
 * The contract every protocol parser implements. A parser is pure over bytes: state lives
 * in the object `newState()` returns (one per connection), `feed` never throws, and a
 * parser keeps at most `MAX_BUFFERED` bytes of an unfinished message.
 */
import type { L7Protocol, RequestLog } from '@zeroscope/wire';
import type { Direction } from '../capture/types';

export const MAX_BUFFERED = 64 * 1024;

export interface L7Message {
  direction: Direction;
  /** µs timestamp of the chunk that completed the message's first bytes */
  ts: number;
  /** correlation key when the protocol has one (HTTP/2 stream, Kafka correlation id, DNS id) */
  streamId?: number;
  /** request that gets no response (MQTT QoS 0 publish, ...) */
  oneWay?: boolean;
  /** response that belongs to no request (server push, MySQL greeting) */
  unsolicited?: boolean;
  /** message is a partial response of a stream; more follow (gRPC server streaming) */
  more?: boolean;
  /** bytes of this message on the wire */
  length: number;
  /** record fields this message determines (request side or response side) */
  fields: Partial<RequestLog>;
}

export interface ParseContext {
  serverPort: number;
  /** bytes before this chunk were lost */
  gap: boolean;
  /** length on the wire when the captured payload was truncated */
  totalLength: number;
  /** transport of the connection (DNS frames differ over TCP); absent means unknown */
  transport?: 'tcp' | 'udp';
}

export interface ProtocolParser<S = unknown> {
  readonly protocol: L7Protocol;
  /** Does this payload look like this protocol? Called on the first bytes of a direction. */
  infer(payload: Uint8Array, direction: Direction, ctx: ParseContext): boolean;
  newState(): S;
  /** Feed the next contiguous bytes of one direction; returns the complete messages. */
  feed(state: S, payload: Uint8Array, direction: Direction, ts: number, ctx: ParseContext): L7Message[];
  /**
   * Optional: the connection ended or went idle; return best-effort messages from bytes still
   * buffered for `direction` (e.g. a head whose remaining segments were never captured).
   */
  flush?(state: S, direction: Direction): L7Message[];
}
