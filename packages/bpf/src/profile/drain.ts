/** Reading and clearing the count and stack maps of one drained generation. */
import type { BpfMap } from '../object';
import type { KeyDecoder, RawSample } from './keys';

/**
 * Moves every key of generation `gen` from `map` into `out` and deletes it: one native
 * call dumps the map, one deletes the drained keys (thousands of elements per interval).
 * Stack ids still referenced by the live generation go into `keep`.
 */
export function drainCounts(
  map: BpfMap,
  keys: KeyDecoder,
  kind: RawSample['kind'],
  gen: number,
  out: RawSample[],
  keep: Set<number>,
): void {
  const drained: Buffer[] = [];
  for (const [raw, v] of map.entries()) {
    const k = keys.decode(raw);
    if (k.gen !== gen) {
      keep.add(k.userStack);
      keep.add(k.kernStack);
      continue;
    }
    drained.push(raw);
    const value = Number(v.readBigUInt64LE(0));
    if (value > 0)
      out.push({
        kind,
        pid: k.pid,
        tgid: k.tgid,
        comm: k.comm,
        userStack: k.userStack,
        kernStack: k.kernStack,
        value,
      });
  }
  // a count added between the dump and this delete is lost: at most one sample per key
  map.deleteMany(drained);
}

const TWO32 = 4294967296;

/**
 * Instruction pointers as doubles, without a BigInt per frame: user addresses (< 2^47) are
 * exact; kernel ones keep their low 48 bits (x86-64 kernel text is 0xffff...), -1 if not.
 */
function ips(v: Buffer, kernel: boolean): number[] {
  const out: number[] = [];
  for (let off = 0; off + 8 <= v.length; off += 8) {
    const lo = v.readUInt32LE(off);
    const hi = v.readUInt32LE(off + 4);
    if (lo === 0 && hi === 0) break;
    if (!kernel) out.push(hi * TWO32 + lo);
    else out.push(hi >>> 16 === 0xffff ? (hi & 0xffff) * TWO32 + lo : -1);
  }
  return out;
}

/** Reads the stacks the samples reference; deletes those no live key references. */
export function readStacks(map: BpfMap, samples: readonly RawSample[], keep: ReadonlySet<number>) {
  const userStacks = new Map<number, number[]>();
  /** low 48 bits of kernel addresses (see ips) */
  const kernelStacks = new Map<number, number[]>();
  const wanted = new Set<number>();
  for (const s of samples) {
    if (s.userStack >= 0) wanted.add(s.userStack);
    if (s.kernStack >= 0) wanted.add(s.kernStack);
  }
  const user = new Set<number>();
  const kern = new Set<number>();
  for (const s of samples) {
    if (s.userStack >= 0) user.add(s.userStack);
    if (s.kernStack >= 0) kern.add(s.kernStack);
  }
  let found = 0;
  const gone: Buffer[] = [];
  if (wanted.size > 0) {
    for (const [k, v] of map.entries()) {
      const id = k.readUInt32LE(0);
      if (!wanted.has(id)) continue;
      found++;
      // one id can be both when the two walks produced the same addresses
      if (user.has(id)) userStacks.set(id, ips(v, false));
      if (kern.has(id)) kernelStacks.set(id, ips(v, true));
      if (!keep.has(id)) gone.push(k);
    }
    map.deleteMany(gone);
  }
  return { userStacks, kernelStacks, missingStacks: wanted.size - found };
}
