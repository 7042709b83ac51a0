/**
 * Skips HTTP/1 message bodies without keeping them: content-length countdown, chunked
 * framing (sizes, data, trailers) and close-delimited bodies.
 */
import type { Framing } from './head';

export type BodyState =
  | { kind: 'none' }
  | { kind: 'length'; remaining: number }
  | { kind: 'chunked'; phase: 'size' | 'data' | 'trailer'; remaining: number }
  | { kind: 'close' };

export function startBody(f: Framing): BodyState {
  switch (f.kind) {
    case 'length':
      return { kind: 'length', remaining: f.length };
    case 'chunked':
      return { kind: 'chunked', phase: 'size', remaining: 0 };
    default:
      return f;
  }
}

/** A chunk-size or trailer line longer than this is not HTTP. */
const MAX_LINE = 4096;

/**
 * Consume body bytes from `data[pos..]`. Returns the new position, and the state becomes
 * `none` when the body ended. Returns -1 when the framing is corrupt.
 */
export function skipBody(b: BodyState, data: Uint8Array, pos: number): { pos: number; state: BodyState } {
  switch (b.kind) {
    case 'none':
      return { pos, state: b };
    case 'close':
      return { pos: data.length, state: b };
    case 'length': {
      const n = Math.min(b.remaining, data.length - pos);
      const remaining = b.remaining - n;
      return { pos: pos + n, state: remaining === 0 ? { kind: 'none' } : { kind: 'length', remaining } };
    }
    case 'chunked':
      return skipChunked(b, data, pos);
  }
}

function skipChunked(
  b: { kind: 'chunked'; phase: 'size' | 'data' | 'trailer'; remaining: number },
  data: Uint8Array,
  pos: number,
): { pos: number; state: BodyState } {
  let { phase, remaining } = b;
  while (pos < data.length) {
    if (phase === 'data') {
      const n = Math.min(remaining, data.length - pos);
      pos += n;
      remaining -= n;
      if (remaining > 0) break;
      phase = 'size';
      continue;
    }
    const eol = indexOfCrlf(data, pos);
    if (eol < 0) {
      // incomplete line: the caller keeps the bytes and retries with more
      if (data.length - pos > MAX_LINE) return { pos: -1, state: { kind: 'none' } };
      break;
    }
    if (phase === 'size') {
      const line = Buffer.from(data.buffer, data.byteOffset + pos, eol - pos).toString('latin1');
      const size = Number.parseInt(line.split(';')[0]!.trim(), 16);
      if (!Number.isFinite(size) || size < 0) return { pos: -1, state: { kind: 'none' } };
      pos = eol + 2;
      if (size === 0) phase = 'trailer';
      else {
        phase = 'data';
        remaining = size + 2;
      }
    } else {
      const empty = eol === pos;
      pos = eol + 2;
      if (empty) return { pos, state: { kind: 'none' } };
    }
  }
  return { pos, state: { kind: 'chunked', phase, remaining } };
}

export function indexOfCrlf(d: Uint8Array, from: number): number {
  for (let i = d.indexOf(13, from); i >= 0 && i + 1 < d.length; i = d.indexOf(13, i + 1)) {
    if (d[i + 1] === 10) return i;
  }
  return -1;
}
