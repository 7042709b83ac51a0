/**
 * HPACK header block decoding (RFC 7541): static table, a size-bounded dynamic table and
 * Huffman strings. One decoder per direction of a connection. When the capture joined a
 * connection midway, references to entries we never saw decode as absent (not wrong): the
 * dynamic table is indexed from its newest entry, which we do see.
 */
import { huffmanDecode } from './huffman';

// biome-ignore format: RFC 7541 Appendix A, index 1..61
const STATIC: readonly (readonly [string, string])[] = [
  [':authority', ''], [':method', 'GET'], [':method', 'POST'], [':path', '/'], [':path', '/index.html'],
  [':scheme', 'http'], [':scheme', 'https'], [':status', '200'], [':status', '204'], [':status', '206'],
  [':status', '304'], [':status', '400'], [':status', '404'], [':status', '500'], ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'], ['accept-language', ''], ['accept-ranges', ''], ['accept', ''],
  ['access-control-allow-origin', ''], ['age', ''], ['allow', ''], ['authorization', ''], ['cache-control', ''],
  ['content-disposition', ''], ['content-encoding', ''], ['content-language', ''], ['content-length', ''],
  ['content-location', ''], ['content-range', ''], ['content-type', ''], ['cookie', ''], ['date', ''],
  ['etag', ''], ['expect', ''], ['expires', ''], ['from', ''], ['host', ''], ['if-match', ''],
  ['if-modified-since', ''], ['if-none-match', ''], ['if-range', ''], ['if-unmodified-since', ''],
  ['last-modified', ''], ['link', ''], ['location', ''], ['max-forwards', ''], ['proxy-authenticate', ''],
  ['proxy-authorization', ''], ['range', ''], ['referer', ''], ['refresh', ''], ['retry-after', ''],
  ['server', ''], ['set-cookie', ''], ['strict-transport-security', ''], ['transfer-encoding', ''],
  ['user-agent', ''], ['vary', ''], ['via', ''], ['www-authenticate', ''],
];

/** Upper bound on a table size update we honour, whatever the peer announces. */
const MAX_TABLE = 64 * 1024;
const MAX_STRING = 16 * 1024;
const MAX_HEADERS = 256;

export type Header = [name: string, value: string];

export class HpackDecoder {
  private entries: Header[] = [];
  private size = 0;
  private maxSize = 4096;

  /**
   * Decode a header block. Headers that reference unknown entries are skipped; a corrupt or
   * truncated block yields the headers before the damage.
   */
  decode(block: Uint8Array): Header[] {
    const out: Header[] = [];
    const r = { pos: 0 };
    while (r.pos < block.length && out.length < MAX_HEADERS) {
      const b = block[r.pos]!;
      if (b & 0x80) {
        const idx = readInt(block, r, 7);
        if (idx === undefined || idx === 0) return out;
        const h = this.get(idx);
        if (h) out.push(h);
      } else if (b & 0x40) {
        const h = this.literal(block, r, 6);
        if (!h) return out;
        if (h[0] !== '') {
          out.push(h);
          this.add(h);
        } else this.add(['?', h[1]]);
      } else if (b & 0x20) {
        const size = readInt(block, r, 5);
        if (size === undefined) return out;
        this.maxSize = Math.min(size, MAX_TABLE);
        this.evict(0);
      } else {
        // literal without indexing (0000) / never indexed (0001)
        const h = this.literal(block, r, 4);
        if (!h) return out;
        if (h[0] !== '') out.push(h);
      }
    }
    return out;
  }

  private get(idx: number): Header | undefined {
    if (idx <= STATIC.length) return STATIC[idx - 1] as Header;
    return this.entries[idx - STATIC.length - 1];
  }

  /** name '' means the name referenced an entry we never saw */
  private literal(block: Uint8Array, r: { pos: number }, prefix: number): Header | undefined {
    const idx = readInt(block, r, prefix);
    if (idx === undefined) return undefined;
    let name: string | undefined;
    if (idx === 0) {
      name = readString(block, r);
      if (name === undefined) return undefined;
      name = name.toLowerCase();
    } else name = this.get(idx)?.[0] ?? '';
    const value = readString(block, r);
    return value === undefined ? undefined : [name, value];
  }

  private add(h: Header): void {
    const sz = h[0].length + h[1].length + 32;
    if (sz > this.maxSize) {
      this.entries = [];
      this.size = 0;
      return;
    }
    this.evict(sz);
    this.entries.unshift(h);
    this.size += sz;
  }

  private evict(incoming: number): void {
    while (this.entries.length > 0 && this.size + incoming > this.maxSize) {
      const e = this.entries.pop()!;
      this.size -= e[0].length + e[1].length + 32;
    }
  }
}

function readInt(b: Uint8Array, r: { pos: number }, prefix: number): number | undefined {
  const mask = (1 << prefix) - 1;
  const first = b[r.pos++];
  if (first === undefined) return undefined;
  let v = first & mask;
  if (v < mask) return v;
  for (let shift = 0; shift <= 28; shift += 7) {
    const x = b[r.pos++];
    if (x === undefined) return undefined;
    v += (x & 0x7f) * 2 ** shift;
    if (!(x & 0x80)) return v;
  }
  return undefined;
}

function readString(b: Uint8Array, r: { pos: number }): string | undefined {
  const huff = ((b[r.pos] ?? 0) & 0x80) !== 0;
  const len = readInt(b, r, 7);
  if (len === undefined || len > MAX_STRING || r.pos + len > b.length) return undefined;
  const start = r.pos;
  r.pos += len;
  return huff ? huffmanDecode(b.subarray(start, start + len)) : latin1(b, start, start + len);
}

/** Short header strings are cheaper to build by hand than through a Buffer view. */
function latin1(b: Uint8Array, start: number, end: number): string {
  if (end - start > 16) return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('latin1');
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
}
