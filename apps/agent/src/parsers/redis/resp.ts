/**
 * RESP2/RESP3 value scanning. `respLength` walks one complete value without materialising
 * it; when the value is cut inside a bulk string that is the last thing of the value, it
 * still knows the exact end, so a large SET/GET payload is skipped instead of buffered.
 */

const CR = 0x0d;
const LF = 0x0a;
const MAX_DEPTH = 16;
const MAX_ELEMENTS = 1 << 20;

/** RESP type bytes of RESP2 and RESP3. */
const AGGREGATES = new Set([0x2a /* * */, 0x25 /* % */, 0x7e /* ~ */, 0x3e /* > */, 0x7c /* | */]);
const BLOBS = new Set([0x24 /* $ */, 0x21 /* ! */, 0x3d /* = */]);
const LINES = new Set([
  0x2b /* + */, 0x2d /* - */, 0x3a /* : */, 0x5f /* _ */, 0x2c /* , */, 0x23 /* # */, 0x28 /* ( */,
]);

export const isRespType = (b: number | undefined): boolean =>
  b !== undefined && (AGGREGATES.has(b) || BLOBS.has(b) || LINES.has(b));

type Scan = { end: number } | { incomplete: true; exactEnd?: number } | { invalid: true };

function lineEnd(bytes: Uint8Array, from: number): number {
  const i = bytes.indexOf(LF, from);
  return i < 0 || i === from || bytes[i - 1] !== CR ? (i < 0 ? -1 : -2) : i;
}

function readInt(bytes: Uint8Array, from: number, to: number): number | undefined {
  let n = 0;
  let neg = false;
  let i = from;
  if (bytes[i] === 0x2d) {
    neg = true;
    i++;
  }
  if (i >= to || to - i > 15) return undefined;
  for (; i < to; i++) {
    const d = bytes[i]! - 0x30;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return neg ? -n : n;
}

function scan(bytes: Uint8Array, pos: number, depth: number): Scan {
  if (pos >= bytes.length) return { incomplete: true };
  const type = bytes[pos]!;
  const le = lineEnd(bytes, pos + 1);
  if (le === -1) return bytes.length - pos > 4096 ? { invalid: true } : { incomplete: true };
  if (le === -2) return { invalid: true };
  if (LINES.has(type)) return { end: le + 1 };
  const n = readInt(bytes, pos + 1, le - 1);
  if (n === undefined) return { invalid: true };
  if (BLOBS.has(type)) {
    if (n < 0) return { end: le + 1 };
    const end = le + 1 + n + 2;
    if (end > bytes.length) return { incomplete: true, exactEnd: end };
    if (bytes[end - 2] !== CR || bytes[end - 1] !== LF) return { invalid: true };
    return { end };
  }
  if (!AGGREGATES.has(type) || depth >= MAX_DEPTH) return { invalid: true };
  if (n < 0) return { end: le + 1 };
  const count = type === 0x25 || type === 0x7c ? n * 2 : n;
  if (count > MAX_ELEMENTS) return { invalid: true };
  let p = le + 1;
  for (let i = 0; i < count; i++) {
    const s = scan(bytes, p, depth + 1);
    if ('invalid' in s) return s;
    if ('incomplete' in s) return i === count - 1 ? s : { incomplete: true };
    p = s.end;
  }
  return { end: p };
}

/** Wire length of the value at `pos`: undefined when incomplete and unknowable, -1 when invalid. */
export function respLength(bytes: Uint8Array, pos: number): number | undefined {
  const s = scan(bytes, pos, 0);
  if ('invalid' in s) return -1;
  if ('incomplete' in s) return s.exactEnd === undefined ? undefined : s.exactEnd - pos;
  return s.end - pos;
}

const text = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');

/** Up to `max` leading elements of an array of bulk/simple strings (a command or a push). */
export function respStrings(bytes: Uint8Array, max: number, maxEach: number): string[] {
  const out: string[] = [];
  const le = lineEnd(bytes, 1);
  if (le < 0) return out;
  const n = readInt(bytes, 1, le - 1) ?? 0;
  let p = le + 1;
  for (let i = 0; i < n && i < max && p < bytes.length; i++) {
    const e = lineEnd(bytes, p + 1);
    const type = bytes[p];
    if (type === 0x24) {
      const len = e < 0 ? undefined : readInt(bytes, p + 1, e - 1);
      if (len === undefined || len < 0) break;
      const start = e + 1;
      out.push(text(bytes.subarray(start, Math.min(start + Math.min(len, maxEach), bytes.length))));
      p = start + len + 2;
    } else if (type !== undefined && LINES.has(type) && e > 0) {
      out.push(text(bytes.subarray(p + 1, Math.min(e - 1, p + 1 + maxEach))));
      p = e + 1;
    } else break;
  }
  return out;
}

/** The text of a simple line value (`+OK`, `-ERR ...`) or of a blob error, bounded. */
export function respLine(bytes: Uint8Array, max: number): string {
  const type = bytes[0];
  const le = lineEnd(bytes, 1);
  if (le < 0) return text(bytes.subarray(1, Math.min(bytes.length, 1 + max)));
  if (type !== undefined && BLOBS.has(type))
    return text(bytes.subarray(le + 1, Math.min(bytes.length - 2, le + 1 + max)));
  return text(bytes.subarray(1, Math.min(le - 1, 1 + max)));
}
