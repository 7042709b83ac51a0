/** Deterministic byte fuzzing for the intake decoders' tests: random and mutated inputs. */

/** xorshift32: reproducible runs from a seed. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

export function randomBytes(r: () => number, max: number): Uint8Array {
  const out = new Uint8Array(Math.floor(r() * max));
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(r() * 256);
  return out;
}

/** Flips, overwrites, inserts, deletes, truncates or duplicates bytes of a valid input. */
export function mutate(r: () => number, seed: Uint8Array): Uint8Array {
  const b = Array.from(seed);
  const edits = 1 + Math.floor(r() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(r() * (b.length + 1));
    switch (Math.floor(r() * 6)) {
      case 0:
        if (at < b.length) b[at] = b[at]! ^ (1 << Math.floor(r() * 8));
        break;
      case 1:
        if (at < b.length) b[at] = [0, 0x7f, 0x80, 0xff][Math.floor(r() * 4)]!;
        break;
      case 2:
        b.splice(at, 0, Math.floor(r() * 256));
        break;
      case 3:
        b.splice(at, 1 + Math.floor(r() * 8));
        break;
      case 4:
        b.length = Math.min(b.length, at);
        break;
      case 5:
        b.splice(at, 0, ...b.slice(at, at + 1 + Math.floor(r() * 16)));
        break;
    }
  }
  return Uint8Array.from(b);
}
