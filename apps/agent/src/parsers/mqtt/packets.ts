/**
 * MQTT 3.1/3.1.1/5.0 control packets (OASIS MQTT v3.1.1 §2-3, v5.0 §2-3): the fixed header
 * with its variable-length remaining length, strings, v5 properties and reason codes.
 */
import { Cursor } from '../cursor';

export const TYPE_NAMES = [
  'RESERVED',
  'CONNECT',
  'CONNACK',
  'PUBLISH',
  'PUBACK',
  'PUBREC',
  'PUBREL',
  'PUBCOMP',
  'SUBSCRIBE',
  'SUBACK',
  'UNSUBSCRIBE',
  'UNSUBACK',
  'PINGREQ',
  'PINGRESP',
  'DISCONNECT',
  'AUTH',
] as const;

export const T = {
  CONNECT: 1,
  CONNACK: 2,
  PUBLISH: 3,
  PUBACK: 4,
  PUBREC: 5,
  PUBREL: 6,
  PUBCOMP: 7,
  SUBSCRIBE: 8,
  SUBACK: 9,
  UNSUBSCRIBE: 10,
  UNSUBACK: 11,
  PINGREQ: 12,
  PINGRESP: 13,
  DISCONNECT: 14,
  AUTH: 15,
} as const;

export const VERSION_NAMES: Record<number, string> = { 3: '3.1', 4: '3.1.1', 5: '5.0' };

/** Fixed header + remaining length; undefined when incomplete, -1 when malformed. */
export function packetLength(bytes: Uint8Array, pos: number): number | undefined {
  const c = new Cursor(bytes, pos);
  const first = c.u8();
  if (first === undefined) return undefined;
  if (first >> 4 === 0) return -1;
  let len = 0;
  for (let i = 0; i < 4; i++) {
    const b = c.u8();
    if (b === undefined) return undefined;
    len += (b & 0x7f) * 128 ** i;
    if ((b & 0x80) === 0) return c.pos - pos + len;
  }
  return -1;
}

/** Cursor positioned after the fixed header. */
export function body(bytes: Uint8Array): Cursor {
  const c = new Cursor(bytes, 1);
  for (let i = 0; i < 4; i++) {
    const b = c.u8();
    if (b === undefined || (b & 0x80) === 0) break;
  }
  return c;
}

export function mqttString(c: Cursor, max = 1024): string | undefined {
  const n = c.u16();
  if (n === undefined) return undefined;
  // a string cut by a truncated capture still names the topic
  const s = c.str(Math.min(n, c.remaining));
  return s === undefined ? undefined : s.slice(0, max);
}

function varint(c: Cursor): number | undefined {
  let v = 0;
  for (let i = 0; i < 4; i++) {
    const b = c.u8();
    if (b === undefined) return undefined;
    v += (b & 0x7f) * 128 ** i;
    if ((b & 0x80) === 0) return v;
  }
  return undefined;
}

/** Skips a v5 property block. */
export function skipProperties(c: Cursor): boolean {
  const n = varint(c);
  return n !== undefined && c.skip(Math.min(n, c.remaining));
}

export interface Connect {
  level: number;
  clientId: string;
}

export function parseConnect(c: Cursor): Connect | undefined {
  const name = mqttString(c, 16);
  if (name !== 'MQTT' && name !== 'MQIsdp') return undefined;
  const level = c.u8();
  const flags = c.u8();
  if (level === undefined || flags === undefined || (flags & 1) !== 0) return undefined;
  c.skip(2);
  if (level === 5) skipProperties(c);
  return { level, clientId: mqttString(c, 256) ?? '' };
}

/** Reason codes (v5) / return codes (v3) that mean the server, not the client, failed. */
const SERVER_FAULTS = new Set([0x80, 0x83, 0x88, 0x89, 0x97]);

export function codeStatus(code: number, v5: boolean): 'ok' | 'client_error' | 'server_error' {
  if (v5) {
    if (code < 0x80) return 'ok';
    return SERVER_FAULTS.has(code) ? 'server_error' : 'client_error';
  }
  if (code === 0) return 'ok';
  return code === 3 ? 'server_error' : 'client_error';
}
