/**
 * Deterministic fuzzing helpers: a seeded PRNG, mutators over real messages, a driver that
 * feeds a parser random splits of mutated streams, and a size walk of parser state to check
 * that memory stays bounded.
 */
import { readFileSync } from 'node:fs';
import { decodeFrame } from '../../src/capture/packet';
import { readCapture } from '../../src/capture/pcap';
import type { Direction } from '../../src/capture/types';
import type { ProtocolParser } from '../../src/parsers/types';

export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n) };
}
export type Rng = ReturnType<typeof rng>;

function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 0x0d, 0x0a, 0x3a, 0x20, 0x30];

/** One random mutation: flips, interesting bytes, inserts, deletes, truncation, splices, pure noise. */
export function mutate(r: Rng, seed: Uint8Array, corpus: Uint8Array[]): Uint8Array {
  const kind = r.int(8);
  const b = new Uint8Array(seed);
  if (kind === 0) return Uint8Array.from({ length: r.int(512) }, () => r.int(256));
  if (b.length === 0) return b;
  switch (kind) {
    case 1:
      for (let i = 0, n = 1 + r.int(8); i < n; i++) b[r.int(b.length)]! ^= 1 << r.int(8);
      return b;
    case 2:
      for (let i = 0, n = 1 + r.int(4); i < n; i++)
        b[r.int(b.length)] = INTERESTING[r.int(INTERESTING.length)]!;
      return b;
    case 3: {
      const at = r.int(b.length);
      const ins = Uint8Array.from({ length: 1 + r.int(64) }, () => r.int(256));
      return cat(b.subarray(0, at), ins, b.subarray(at));
    }
    case 4: {
      const at = r.int(b.length);
      return cat(b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + r.int(64))));
    }
    case 5:
      return b.subarray(0, r.int(b.length));
    case 6: {
      const other = corpus[r.int(corpus.length)]!;
      return cat(b.subarray(0, r.int(b.length)), other.subarray(r.int(other.length)));
    }
    default:
      // large-number fields: overwrite 4 bytes with 0xff
      b.fill(0xff, r.int(b.length), r.int(b.length) + 4);
      return b;
  }
}

export interface Seed {
  direction: Direction;
  bytes: Uint8Array;
}

/** TCP/UDP payloads of a capture, direction by server port. */
export function seedsFromCapture(file: string | URL, serverPort: number): Seed[] {
  const out: Seed[] = [];
  for (const f of readCapture(readFileSync(file))) {
    const p = decodeFrame(f.linkType, f.data, f.ts);
    if (!p || p.payload.length === 0) continue;
    if (p.tuple.dstPort === serverPort) out.push({ direction: 'request', bytes: p.payload });
    else if (p.tuple.srcPort === serverPort) out.push({ direction: 'response', bytes: p.payload });
  }
  return out;
}

/** Rough retained size of a parser state: bytes in buffers + characters + 16 per container entry. */
export function stateSize(v: unknown, seen = new Set<unknown>()): number {
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? v.length : 8;
  if (seen.has(v)) return 0;
  seen.add(v);
  if (ArrayBuffer.isView(v)) return v.byteLength;
  let n = 0;
  if (v instanceof Map) for (const [k, x] of v) n += 16 + stateSize(k, seen) + stateSize(x, seen);
  else if (Array.isArray(v)) for (const x of v) n += 16 + stateSize(x, seen);
  else for (const x of Object.values(v)) n += 16 + stateSize(x, seen);
  return n;
}

export interface FuzzResult {
  inputs: number;
  messages: number;
  maxStateBytes: number;
}

/**
 * Feed `iterations` mutated inputs (random splits, gaps, truncation flags, both directions)
 * through `parser`, reusing each connection state for up to 64 inputs. Also calls infer and
 * flush. Throws only if the parser does.
 */
export function fuzzParser(
  parser: ProtocolParser<unknown>,
  seeds: Seed[],
  opts: { iterations: number; seed: number; transport?: 'tcp' | 'udp' },
): FuzzResult {
  const r = rng(opts.seed);
  const corpus = seeds.map((s) => s.bytes);
  let state = parser.newState();
  const res: FuzzResult = { inputs: 0, messages: 0, maxStateBytes: 0 };
  for (let i = 0; i < opts.iterations; i++) {
    if (i % 64 === 0) {
      res.maxStateBytes = Math.max(res.maxStateBytes, stateSize(state));
      state = parser.newState();
    }
    const s = seeds[r.int(seeds.length)]!;
    const input = r.int(4) === 0 ? s.bytes : mutate(r, s.bytes, corpus);
    const direction: Direction =
      r.int(8) === 0 ? (s.direction === 'request' ? 'response' : 'request') : s.direction;
    const ctx = {
      serverPort: 80,
      gap: r.int(16) === 0,
      totalLength: r.int(16) === 0 ? input.length + r.int(5000) : input.length,
      transport: opts.transport,
    };
    parser.infer(input, direction, ctx);
    // split into up to 3 chunks at random points
    let pos = 0;
    for (let k = 0; k < 3 && pos < input.length; k++) {
      const end = k === 2 ? input.length : pos + r.int(input.length - pos + 1);
      res.messages += parser.feed(state, input.subarray(pos, end), direction, i, ctx).length;
      pos = end;
    }
    if (r.int(32) === 0) parser.flush?.(state, direction);
    res.inputs++;
  }
  res.maxStateBytes = Math.max(res.maxStateBytes, stateSize(state));
  return res;
}
