/**
 * Snappy block-format decompressor (the raw format Prometheus remote write uses; see the
 * format description in google/snappy's format_description.txt). Pure and bounded: the
 * declared length is checked against `maxBytes` before anything is allocated, and every
 * literal and back-reference is checked against the input and the output written so far.
 */
export type Unsnapped = { ok: true; value: Uint8Array } | { ok: false; error: string };

export function unsnappy(input: Uint8Array, maxBytes: number): Unsnapped {
  const bad = (why: string): Unsnapped => ({ ok: false, error: `malformed snappy data: ${why}` });
  let pos = 0;
  // preamble: uncompressed length as a varint (at most 32 bits)
  let want = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= input.length) return bad('truncated length');
    if (shift > 28) return bad('length varint too long');
    const b = input[pos++]!;
    want += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  if (want > maxBytes) return { ok: false, error: `decompressed size ${want} exceeds ${maxBytes} bytes` };
  const out = new Uint8Array(want);
  let o = 0;
  while (pos < input.length) {
    const tag = input[pos++]!;
    const type = tag & 3;
    if (type === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const n = len - 59;
        if (pos + n > input.length) return bad('truncated literal length');
        len = 0;
        for (let i = 0; i < n; i++) len += input[pos + i]! * 2 ** (8 * i);
        pos += n;
      }
      len += 1;
      if (pos + len > input.length) return bad('literal past the end of the input');
      if (o + len > want) return bad('literal past the declared length');
      out.set(input.subarray(pos, pos + len), o);
      pos += len;
      o += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (type === 1) {
      if (pos + 1 > input.length) return bad('truncated copy');
      len = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) | input[pos++]!;
    } else if (type === 2) {
      if (pos + 2 > input.length) return bad('truncated copy');
      len = 1 + (tag >>> 2);
      offset = input[pos]! | (input[pos + 1]! << 8);
      pos += 2;
    } else {
      if (pos + 4 > input.length) return bad('truncated copy');
      len = 1 + (tag >>> 2);
      offset =
        (input[pos]! | (input[pos + 1]! << 8) | (input[pos + 2]! << 16) | (input[pos + 3]! << 24)) >>> 0;
      pos += 4;
    }
    if (offset === 0 || offset > o) return bad(`copy offset ${offset} outside the output`);
    if (o + len > want) return bad('copy past the declared length');
    // byte by byte: a copy may overlap its own output (offset < len repeats a pattern)
    for (let i = 0; i < len; i++, o++) out[o] = out[o - offset]!;
  }
  if (o !== want) return bad(`got ${o} bytes, header said ${want}`);
  return { ok: true, value: out };
}
