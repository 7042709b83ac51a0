/**
 * The MySQL compressed protocol: 7-byte header (compressed length, sequence, uncompressed
 * length; 0 means stored as is) around zlib data that carries ordinary packets, which may
 * span compressed packets.
 */
import { constants, inflateSync } from 'node:zlib';
import { Cursor } from '../cursor';
import { MAX_BUFFERED } from '../types';

export interface Inflated {
  bytes: Uint8Array;
  /** false when the compressed packet was cut and only its head could be inflated */
  complete: boolean;
}

export function inflateFrame(frame: Uint8Array, wireLength: number): Inflated | undefined {
  const c = new Cursor(frame);
  c.skip(4);
  const uncompressed = c.u24(true);
  if (uncompressed === undefined) return undefined;
  const data = frame.subarray(7);
  const cut = frame.length < wireLength;
  if (uncompressed === 0) return { bytes: data, complete: !cut };
  try {
    const out = inflateSync(data, {
      finishFlush: constants.Z_SYNC_FLUSH,
      maxOutputLength: Math.max(MAX_BUFFERED, Math.min(uncompressed, 16 * MAX_BUFFERED)),
    });
    return { bytes: out, complete: !cut && out.length === uncompressed };
  } catch {
    return undefined;
  }
}

/**
 * A client chunk that is a compressed packet: the lengths line up and the content is either
 * a stored plain packet (sequence 0 command) or starts with a zlib header.
 */
export function looksCompressed(payload: Uint8Array): boolean {
  const c = new Cursor(payload);
  const clen = c.u24(true);
  c.skip(1);
  const ulen = c.u24(true);
  if (clen === undefined || ulen === undefined || clen + 7 !== payload.length) return false;
  if (ulen === 0) {
    const inner = c.u24(true);
    return inner !== undefined && inner + 4 === clen && c.u8() === 0;
  }
  return payload[7] === 0x78 && ulen >= clen - 16;
}
