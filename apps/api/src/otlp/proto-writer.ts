/**
 * A small protobuf writer: the encoding side of proto.ts, for the few messages the API sends
 * (the Tempo trace-by-id answer) and for tests and fuzz seeds. Field order is the caller's.
 */
export class ProtoWriter {
  private readonly parts: number[] = [];

  private varint(v: number): void {
    let x = v;
    while (x >= 0x80) {
      this.parts.push((x % 128) | 0x80);
      x = Math.floor(x / 128);
    }
    this.parts.push(x);
  }

  private key(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  uint(field: number, v: number): this {
    this.key(field, 0);
    this.varint(v);
    return this;
  }

  fixed64(field: number, v: number | bigint): this {
    this.key(field, 1);
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(typeof v === 'bigint' ? v : BigInt(Math.round(v)));
    for (const x of b) this.parts.push(x);
    return this;
  }

  double(field: number, v: number): this {
    this.key(field, 1);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    for (const x of b) this.parts.push(x);
    return this;
  }

  bytes(field: number, v: Uint8Array): this {
    this.key(field, 2);
    this.varint(v.length);
    for (const b of v) this.parts.push(b);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, Buffer.from(s, 'utf8'));
  }

  message(field: number, m: ProtoWriter): this {
    return this.bytes(field, m.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}
