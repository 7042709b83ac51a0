/**
 * Synthetic folded stacks shaped like a service's profile: a few entry points fanning out
 * through shared layers into many leaves, `n` distinct stacks, depths ~8-40, values skewed
 * (a few hot stacks, a long tail). Deterministic.
 */
export function syntheticStacks(n: number, seed = 7): { stack: string; value: number }[] {
  // mulberry32: integer math only, so the sequence does not collapse into a short cycle
  let s = seed >>> 0;
  const rnd = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const fn = (layer: number, i: number) => `svc::layer${layer}::function_${i}_${(i * 2654435761) % 9973}`;
  const seen = new Set<string>();
  const out: { stack: string; value: number }[] = [];
  while (out.length < n) {
    const depth = 8 + Math.floor(rnd() ** 2 * 32);
    const frames = ['_start', '__libc_start_main', 'main'];
    for (let d = 0; d < depth; d++) {
      // shallow layers share few functions, deep ones many: a tree that widens with depth
      const width = Math.min(4000, 3 + d * d * 6);
      frames.push(fn(d, Math.floor(rnd() ** 1.5 * width)));
    }
    const stack = frames.join(';');
    if (seen.has(stack)) continue;
    seen.add(stack);
    out.push({ stack, value: 1 + Math.floor(1000 * rnd() ** 8) });
  }
  return out;
}
