/**
 * Length-prefixed framing shared by the binary/line protocols (MySQL, PostgreSQL, Redis,
 * Kafka, MQTT, AMQP). One `FrameBuffer` per direction holds at most `MAX_BUFFERED` bytes of
 * an unfinished frame; a frame longer than that (or cut by a truncated capture) is handed to
 * the parser from its head and its remaining bytes are skipped, so big result sets and
 * fetch responses never grow memory. After a gap the buffer drops everything and the
 * protocol's `resync` finds the next plausible frame start.
 */
import { MAX_BUFFERED, type ParseContext } from './types';

export interface FrameBuffer {
  pending: Uint8Array;
  /** timestamp of the chunk that delivered pending[0] */
  pendingTs: number;
  /** wire bytes still to drop: the tail of a frame that was handed over from its head */
  skip: number;
  /** framing lost (gap, bad length): resync before parsing */
  lost: boolean;
}

export const newFrameBuffer = (): FrameBuffer => ({
  pending: new Uint8Array(0),
  pendingTs: 0,
  skip: 0,
  lost: false,
});

/** `undefined`: header not complete yet; `-1`: not a frame of this protocol here. */
export type FrameLength = (bytes: Uint8Array, pos: number) => number | undefined;

export interface FrameSink {
  /** a frame (complete when `bytes.length === wireLength`, otherwise its head) */
  frame(bytes: Uint8Array, wireLength: number, ts: number): void;
  /** offset of the next plausible frame start at or after `from`, or -1 */
  resync(bytes: Uint8Array, from: number): number;
}

const EMPTY = new Uint8Array(0);

/** Feeds one chunk through the framer; calls `sink.frame` for every frame it can cut. */
export function feedFrames(
  buf: FrameBuffer,
  payload: Uint8Array,
  ts: number,
  ctx: ParseContext,
  frameLength: FrameLength,
  sink: FrameSink,
): void {
  const missing = Math.max(0, ctx.totalLength - payload.length);
  if (ctx.gap) {
    buf.pending = EMPTY;
    buf.skip = 0;
    buf.lost = true;
  }
  let data = payload;
  if (buf.skip > 0) {
    const n = Math.min(buf.skip, data.length);
    buf.skip -= n;
    data = data.subarray(n);
    if (buf.skip > 0 || data.length === 0) {
      buf.skip += missing;
      return;
    }
  }
  const prefix = buf.pending.length;
  const firstTs = prefix > 0 ? buf.pendingTs : ts;
  if (prefix > 0) {
    const joined = new Uint8Array(prefix + data.length);
    joined.set(buf.pending, 0);
    joined.set(data, prefix);
    data = joined;
  }
  let pos = 0;
  if (buf.lost) {
    pos = sink.resync(data, 0);
    if (pos < 0) {
      buf.pending = EMPTY;
      return;
    }
    buf.lost = false;
  }
  while (pos < data.length) {
    const len = frameLength(data, pos);
    const at = pos < prefix ? firstTs : ts;
    if (len === undefined) break;
    if (len <= 0) {
      pos = sink.resync(data, pos + 1);
      if (pos < 0) pos = data.length;
      continue;
    }
    const avail = data.length - pos;
    if (len <= avail) {
      sink.frame(data.subarray(pos, pos + len), len, at);
      pos += len;
      continue;
    }
    if (missing > 0 || len > MAX_BUFFERED) {
      sink.frame(data.subarray(pos), len, at);
      buf.skip = len - avail - missing;
      buf.pending = EMPTY;
      if (buf.skip < 0) {
        buf.skip = 0;
        buf.lost = true;
      }
      return;
    }
    break;
  }
  const rest = data.length - pos;
  if (missing > 0 && rest + pos > 0) {
    // bytes after the captured prefix are gone: whatever follows is mid-frame
    buf.pending = EMPTY;
    buf.lost = true;
    return;
  }
  if (rest > MAX_BUFFERED) {
    buf.pending = EMPTY;
    buf.lost = true;
    return;
  }
  buf.pending = rest === 0 ? EMPTY : data.slice(pos);
  buf.pendingTs = pos < prefix ? firstTs : ts;
}
