/**
 * Byte writer/reader for the wire codec. Varints are LEB128 over JS numbers; every value
 * the codec carries is a safe integer (< 2^53), so 8 varint bytes always suffice.
 */

export class ByteWriter {
  buf: Uint8Array;
  pos = 0;

  constructor(initial = 1 << 16) {
    this.buf = new Uint8Array(initial);
  }

  ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  /** Unsigned varint; v must be a non-negative safe integer. */
  varint(v: number): void {
    this.ensure(8);
    const b = this.buf;
    let p = this.pos;
    if (v < 0x80) {
      b[p] = v;
      this.pos = p + 1;
      return;
    }
    // Below 2^32 bit operations (>>> is unsigned); `%` on a double is a call to fmod.
    if (v < 0x100000000) {
      while (v >= 0x80) {
        b[p++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      b[p++] = v;
      this.pos = p;
      return;
    }
    while (v >= 0x80) {
      b[p++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    b[p++] = v;
    this.pos = p;
  }

  bytes(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  /** UTF-8 of a string, without length. */
  utf8(s: string): number {
    this.ensure(s.length * 3);
    const n = encodeInto(s, this.buf, this.pos);
    this.pos += n;
    return n;
  }

  u32le(v: number): void {
    this.ensure(4);
    const b = this.buf;
    b[this.pos++] = v & 0xff;
    b[this.pos++] = (v >>> 8) & 0xff;
    b[this.pos++] = (v >>> 16) & 0xff;
    b[this.pos++] = (v >>> 24) & 0xff;
  }

  f64(v: number): void {
    this.ensure(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).setFloat64(0, v, true);
    this.pos += 8;
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

const encoder = new TextEncoder();

/** UTF-8 of `s` into dst at `at` (room for 3 bytes per UTF-16 unit); returns bytes written. */
export function encodeInto(s: string, dst: Uint8Array, at: number): number {
  // ASCII fast path: most request-log strings are ASCII and short.
  const n = s.length;
  if (n < 64) {
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      dst[at + i] = c;
    }
    if (i === n) return n;
  }
  return encoder.encodeInto(s, dst.subarray(at)).written;
}

export function utf8Length(s: string): number {
  const n = s.length;
  let len = n;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) len += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      len += 2;
      i++;
    } else len += 2;
  }
  return len;
}

/** Thrown only inside the decoder and always caught by it. */
export class ShortInput extends Error {}

/**
 * `n` unsigned varints from buf[p, end) into out; returns the position after them. The same
 * checks as ByteReader.varint, in one loop without a call per value (most of decode time).
 * ByteReader.varint keeps its own loop: routing it through this one made decode ~25% slower
 * (bench/ingest codec line, 3.9M -> 2.85M rows/s).
 */
export function readVarints(buf: Uint8Array, p: number, end: number, out: Float64Array, n: number): number {
  for (let i = 0; i < n; i++) {
    if (p >= end) throw new ShortInput('truncated varint');
    let b = buf[p++]!;
    if (b < 0x80) {
      out[i] = b;
      continue;
    }
    let v = b & 0x7f;
    let mul = 0x80;
    for (let k = 1; ; k++) {
      if (k === 8) throw new ShortInput('varint longer than 8 bytes');
      if (p >= end) throw new ShortInput('truncated varint');
      b = buf[p++]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) break;
      mul *= 0x80;
    }
    if (v > Number.MAX_SAFE_INTEGER) throw new ShortInput('varint exceeds 2^53');
    out[i] = v;
  }
  return p;
}

export class ByteReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  u8(): number {
    if (this.pos >= this.end) throw new ShortInput('unexpected end of input');
    return this.buf[this.pos++]!;
  }

  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) throw new ShortInput('truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) throw new ShortInput('varint exceeds 2^53');
        return result;
      }
      mul *= 0x80;
    }
    throw new ShortInput('varint longer than 8 bytes');
  }

  u32le(): number {
    if (this.end - this.pos < 4) throw new ShortInput('truncated u32');
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  f64(): number {
    if (this.end - this.pos < 8) throw new ShortInput('truncated f64');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }

  take(n: number): Uint8Array {
    if (n > this.end - this.pos) throw new ShortInput(`need ${n} bytes, have ${this.end - this.pos}`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}
