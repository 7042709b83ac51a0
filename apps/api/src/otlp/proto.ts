/**
 * A protobuf wire-format cursor (https://protobuf.dev/programming-guides/encoding/) for the
 * few messages the intake reads (OTLP, Prometheus remote write). It never throws: every
 * read returns `undefined` on short or malformed input and marks the cursor `bad`, so a
 * decoder stops at the first odd byte and reports one error (STYLE.md rule 7).
 */

export const WIRE = { varint: 0, i64: 1, len: 2, i32: 5 } as const;

const utf8 = new TextDecoder('utf-8', { fatal: false });

export class ProtoCursor {
  pos: number;
  bad = false;
  /** why the cursor went bad, for the error message */
  why = '';
  private readonly view: DataView;
  private readonly current = { field: 0, wire: 0 };
  /** [spanStart, spanEnd) of the last length-delimited field read */
  private spanStart = 0;
  private spanEnd = 0;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
    view?: DataView,
  ) {
    this.pos = start;
    // embedded messages share their parent's view: one DataView per request, not per message
    this.view = view ?? new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private fail(why: string): undefined {
    if (!this.bad) {
      this.bad = true;
      this.why = `${why} at byte ${this.pos}`;
    }
    return undefined;
  }

  get done(): boolean {
    return this.bad || this.pos >= this.end;
  }

  /**
   * The next field's tag, or undefined at the end (or when bad). The returned object is reused
   * by the next call on this cursor (decoders read it at once): no allocation per field.
   */
  tag(): { field: number; wire: number } | undefined {
    if (this.done) return undefined;
    const key = this.varint();
    if (key === undefined) return undefined;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) return this.fail('field number 0');
    if (wire !== 0 && wire !== 1 && wire !== 2 && wire !== 5) return this.fail(`wire type ${wire}`);
    this.current.field = field;
    this.current.wire = wire;
    return this.current;
  }

  /** An unsigned varint as a number (exact below 2^53; larger values lose low bits). */
  varint(): number | undefined {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) return this.fail('truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    return this.fail('varint longer than 10 bytes');
  }

  /** A two's-complement int64 varint (negative values come as 10-byte varints). */
  int64(): number | undefined {
    const v = this.varint();
    if (v === undefined) return undefined;
    return v >= 2 ** 63 ? v - 2 ** 64 : v;
  }

  bool(): boolean | undefined {
    const v = this.varint();
    return v === undefined ? undefined : v !== 0;
  }

  fixed64(): number | undefined {
    if (this.end - this.pos < 8) return this.fail('truncated fixed64');
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
    return hi * 2 ** 32 + lo;
  }

  sfixed64(): number | undefined {
    if (this.end - this.pos < 8) return this.fail('truncated sfixed64');
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getInt32(this.pos + 4, true);
    this.pos += 8;
    return hi * 2 ** 32 + lo;
  }

  double(): number | undefined {
    if (this.end - this.pos < 8) return this.fail('truncated double');
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  fixed32(): number | undefined {
    if (this.end - this.pos < 4) return this.fail('truncated fixed32');
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Reads a length-delimited field's bounds into spanStart/spanEnd, checked against this cursor. */
  private span(): boolean {
    const len = this.varint();
    if (len === undefined) return false;
    if (len > this.end - this.pos) {
      this.fail(`length ${len} past the end`);
      return false;
    }
    this.spanStart = this.pos;
    this.pos += len;
    this.spanEnd = this.pos;
    return true;
  }

  bytes(): Uint8Array | undefined {
    return this.span() ? this.buf.subarray(this.spanStart, this.spanEnd) : undefined;
  }

  string(): string | undefined {
    return this.span() ? text(this.buf, this.spanStart, this.spanEnd) : undefined;
  }

  /** A cursor over an embedded message. */
  message(): ProtoCursor | undefined {
    return this.span() ? new ProtoCursor(this.buf, this.spanStart, this.spanEnd, this.view) : undefined;
  }

  /** Skips a field of wire type `wire`. */
  skip(wire: number): boolean {
    switch (wire) {
      case WIRE.varint:
        return this.varint() !== undefined;
      case WIRE.i64:
        return this.fixed64() !== undefined;
      case WIRE.len:
        return this.span();
      case WIRE.i32:
        return this.fixed32() !== undefined;
      default:
        this.fail(`wire type ${wire}`);
        return false;
    }
  }

  /** Repeated fixed64/double: packed (wire 2) or one element (wire 1). */
  packed64(wire: number, read: (c: ProtoCursor) => number | undefined, out: number[], max: number): void {
    if (wire === WIRE.i64) {
      const v = read(this);
      if (v !== undefined && out.length < max) out.push(v);
      return;
    }
    if (wire !== WIRE.len) {
      this.fail('bad wire type for a repeated 64-bit field');
      return;
    }
    const inner = this.message();
    if (!inner) return;
    if ((inner.end - inner.pos) % 8 !== 0) {
      this.fail('packed field length is not a multiple of 8');
      return;
    }
    while (!inner.done && out.length < max) {
      const v = read(inner);
      if (v === undefined) break;
      out.push(v);
    }
  }

  /** Carries a child cursor's failure up, so one bad byte anywhere fails the whole decode. */
  adopt(child: ProtoCursor): void {
    if (child.bad && !this.bad) {
      this.bad = true;
      this.why = child.why;
    }
  }
}

/**
 * UTF-8 text of buf[start, end). Short ASCII strings (attribute keys, names, most values) are
 * built directly: TextDecoder's per-call cost dominates for strings of a few bytes.
 */
function text(buf: Uint8Array, start: number, end: number): string {
  if (end - start > 64) return utf8.decode(buf.subarray(start, end));
  for (let i = start; i < end; i++) if (buf[i]! >= 0x80) return utf8.decode(buf.subarray(start, end));
  // ASCII: one string from the code units (concatenating per character allocates per character)
  return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
}

/** Lowercase hex of an id (trace_id, span_id); '' for empty or all-zero ids. */
export function hexId(b: Uint8Array | undefined): string {
  if (!b || b.length === 0) return '';
  let zero = true;
  for (const x of b) if (x !== 0) zero = false;
  return zero ? '' : Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
}
