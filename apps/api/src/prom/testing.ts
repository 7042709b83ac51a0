/** Test helpers: snappy framing of bytes (literal runs plus back-references) and remote-write bodies. */
import { ProtoWriter } from '../otlp/testing';

/**
 * Compresses with a greedy 4-byte-match search: literals for new bytes, 2-byte-offset copies
 * (up to 64 bytes) for repeats, so decoder tests exercise both element kinds.
 */
export function snappyCompress(input: Uint8Array): Uint8Array {
  const out: number[] = [];
  let n = input.length;
  do {
    out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  const lit: number[] = [];
  const flush = () => {
    for (let i = 0; i < lit.length; i += 60) {
      const chunk = lit.slice(i, i + 60);
      out.push((chunk.length - 1) << 2, ...chunk);
    }
    lit.length = 0;
  };
  let i = 0;
  while (i < input.length) {
    let best = 0;
    let off = 0;
    for (let j = Math.max(0, i - 65535); j < i; j++) {
      let k = 0;
      while (k < 64 && i + k < input.length && input[j + k] === input[i + k]) k++;
      if (k > best) [best, off] = [k, i - j];
    }
    if (best >= 4) {
      flush();
      out.push(((best - 1) << 2) | 2, off & 0xff, off >> 8);
      i += best;
    } else lit.push(input[i++]!);
  }
  flush();
  return Uint8Array.from(out);
}

export function remoteWrite(
  series: { labels: Record<string, string>; samples: [number, number][] }[],
): Uint8Array {
  const w = new ProtoWriter();
  for (const s of series) {
    const ts = new ProtoWriter();
    for (const [k, v] of Object.entries(s.labels)) ts.message(1, new ProtoWriter().string(1, k).string(2, v));
    for (const [t, v] of s.samples) ts.message(2, new ProtoWriter().double(1, v).uint(2, t));
    w.message(1, ts);
  }
  return w.finish();
}
