/**
 * A bounds-checked reader over bytes. Every read returns `undefined` instead of throwing
 * when the input is short, so parsers over hostile bytes stay total (STYLE.md rule 7).
 */
export class Cursor {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  u8(): number | undefined {
    if (this.pos + 1 > this.bytes.length) return undefined;
    return this.bytes[this.pos++];
  }

  u16(littleEndian = false): number | undefined {
    if (this.pos + 2 > this.bytes.length) return undefined;
    const v = this.view.getUint16(this.pos, littleEndian);
    this.pos += 2;
    return v;
  }

  u24(littleEndian = false): number | undefined {
    if (this.pos + 3 > this.bytes.length) return undefined;
    const b = this.bytes;
    const p = this.pos;
    this.pos += 3;
    return littleEndian
      ? b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)
      : (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;
  }

  u32(littleEndian = false): number | undefined {
    if (this.pos + 4 > this.bytes.length) return undefined;
    const v = this.view.getUint32(this.pos, littleEndian);
    this.pos += 4;
    return v;
  }

  i32(littleEndian = false): number | undefined {
    if (this.pos + 4 > this.bytes.length) return undefined;
    const v = this.view.getInt32(this.pos, littleEndian);
    this.pos += 4;
    return v;
  }

  /** 64-bit unsigned as a JS number (exact below 2^53). */
  u64(littleEndian = false): number | undefined {
    if (this.pos + 8 > this.bytes.length) return undefined;
    const v = this.view.getBigUint64(this.pos, littleEndian);
    this.pos += 8;
    return Number(v);
  }

  bytesN(n: number): Uint8Array | undefined {
    if (n < 0 || this.pos + n > this.bytes.length) return undefined;
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  skip(n: number): boolean {
    if (n < 0 || this.pos + n > this.bytes.length) return false;
    this.pos += n;
    return true;
  }

  /** Latin-1/UTF-8 string of n bytes. */
  str(n: number): string | undefined {
    const b = this.bytesN(n);
    return b === undefined ? undefined : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
  }

  /** NUL-terminated string; the NUL is consumed. */
  cstr(): string | undefined {
    const end = this.bytes.indexOf(0, this.pos);
    if (end < 0) return undefined;
    const s = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.pos, end - this.pos).toString(
      'utf8',
    );
    this.pos = end + 1;
    return s;
  }
}
