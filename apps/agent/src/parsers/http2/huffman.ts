/**
 * HPACK Huffman decoding (RFC 7541 Appendix B). The code is canonical: codes follow from the
 * per-symbol bit lengths alone (assigned in order of length, then symbol), so only the
 * lengths are listed; symbol 256 is EOS.
 */

// biome-ignore format: one row per 16 symbols
const LENGTHS = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
  28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
  5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
  6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
  24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
  21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
  19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
  26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
  30,
];

const MAX_LEN = 30;
/** per length: first canonical code, index of its first symbol in SYMBOLS, and count */
const FIRST_CODE = new Array<number>(MAX_LEN + 2).fill(0);
const FIRST_INDEX = new Array<number>(MAX_LEN + 2).fill(0);
const COUNT = new Array<number>(MAX_LEN + 2).fill(0);
const SYMBOLS: number[] = [];

/** Encoding table (tests and fuzzers build Huffman strings with it). */
export const CODES: { code: number; len: number }[] = [];

(function build() {
  for (const l of LENGTHS) COUNT[l]!++;
  let code = 0;
  for (let len = 1; len <= MAX_LEN; len++) {
    FIRST_CODE[len] = code;
    FIRST_INDEX[len] = SYMBOLS.length;
    for (let s = 0; s < LENGTHS.length; s++) {
      if (LENGTHS[s] === len) {
        SYMBOLS.push(s);
        CODES[s] = { code: code++, len };
      }
    }
    code <<= 1;
  }
})();

/** Decode; undefined on an invalid code, EOS inside the string, or bad padding. */
export function huffmanDecode(bytes: Uint8Array): string | undefined {
  let out = '';
  let code = 0;
  let len = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    for (let bit = 7; bit >= 0; bit--) {
      code = (code << 1) | ((b >> bit) & 1);
      len++;
      const idx = code - FIRST_CODE[len]!;
      if (idx >= 0 && idx < COUNT[len]!) {
        const sym = SYMBOLS[FIRST_INDEX[len]! + idx]!;
        if (sym === 256) return undefined;
        out += String.fromCharCode(sym);
        code = 0;
        len = 0;
      } else if (len >= MAX_LEN) return undefined;
    }
  }
  // padding: at most 7 bits, all ones (a prefix of EOS)
  if (len > 7 || code !== (1 << len) - 1) return undefined;
  return out;
}

export function huffmanEncode(s: string): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const { code, len } = CODES[s.charCodeAt(i) & 0xff]!;
    for (let b = len - 1; b >= 0; b--) {
      acc = (acc << 1) | ((code / 2 ** b) & 1);
      if (++bits === 8) {
        out.push(acc);
        acc = 0;
        bits = 0;
      }
    }
  }
  if (bits > 0) out.push(((acc << (8 - bits)) | ((1 << (8 - bits)) - 1)) & 0xff);
  return Uint8Array.from(out);
}
