import { describe, expect, it } from 'vitest';
import { HpackDecoder } from './hpack';
import { huffmanDecode, huffmanEncode } from './huffman';

const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

describe('HPACK (RFC 7541 Appendix C)', () => {
  it('C.4: requests with Huffman coding share one dynamic table', () => {
    const d = new HpackDecoder();
    expect(d.decode(hex('8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff'))).toEqual([
      [':method', 'GET'],
      [':scheme', 'http'],
      [':path', '/'],
      [':authority', 'www.example.com'],
    ]);
    expect(d.decode(hex('8286 84be 5886 a8eb 1064 9cbf'))).toEqual([
      [':method', 'GET'],
      [':scheme', 'http'],
      [':path', '/'],
      [':authority', 'www.example.com'],
      ['cache-control', 'no-cache'],
    ]);
    expect(d.decode(hex('8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf'))).toEqual([
      [':method', 'GET'],
      [':scheme', 'https'],
      [':path', '/index.html'],
      [':authority', 'www.example.com'],
      ['custom-key', 'custom-value'],
    ]);
  });

  it('C.5: responses with eviction from a 256-byte table', () => {
    const d = new HpackDecoder();
    d.decode(hex('3fe1 01')); // table size update to 256
    const r1 = d.decode(
      hex(
        '4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
      ),
    );
    expect(r1[0]).toEqual([':status', '302']);
    const r2 = d.decode(hex('4803 3330 37c1 c0bf'));
    expect(r2).toEqual([
      [':status', '307'],
      ['cache-control', 'private'],
      ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'],
      ['location', 'https://www.example.com'],
    ]);
  });

  it('references to entries never seen (capture joined midway) are skipped, not misread', () => {
    expect(new HpackDecoder().decode(hex('82 be 84'))).toEqual([
      [':method', 'GET'],
      [':path', '/'],
    ]);
  });

  it('Huffman round-trips every byte value and rejects EOS inside a string', () => {
    const all = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
    expect(huffmanDecode(huffmanEncode(all))).toBe(all);
    expect(huffmanDecode(hex('ffff ffff'))).toBeUndefined();
  });
});
