/** Reading and clearing the count and stack maps of one drained generation. */
import type { BpfMap } from '../object';
import type { KeyDecoder, RawSample } from './keys';

/**
 * Moves every key of generation `gen` from `map` into `out` and deletes it. Keys are
 * listed first: deleting during get_next_key iteration restarts it from the first key.
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
  for (const raw of [...map.keys()]) {
    const k = keys.decode(raw);
    if (k.gen !== gen) {
      keep.add(k.userStack);
      keep.add(k.kernStack);
      continue;
    }
    const v = map.lookup(raw);
    map.delete(raw);
    if (!v) continue;
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
}

function ips(v: Buffer): bigint[] {
  const out: bigint[] = [];
  for (let off = 0; off + 8 <= v.length; off += 8) {
    const ip = v.readBigUInt64LE(off);
    if (ip === 0n) break;
    out.push(ip);
  }
  return out;
}

/** Reads the stacks the samples reference; deletes those no live key references. */
export function readStacks(map: BpfMap, samples: readonly RawSample[], keep: ReadonlySet<number>) {
  const userStacks = new Map<number, number[]>();
  const kernelStacks = new Map<number, bigint[]>();
  let missingStacks = 0;
  const key = Buffer.alloc(4);
  const read = (id: number): bigint[] | undefined => {
    key.writeUInt32LE(id);
    const v = map.lookup(key);
    if (!v) {
      missingStacks++;
      return undefined;
    }
    return ips(v);
  };
  for (const s of samples) {
    if (s.userStack >= 0 && !userStacks.has(s.userStack)) {
      const st = read(s.userStack);
      if (st) userStacks.set(s.userStack, st.map(Number));
    }
    if (s.kernStack >= 0 && !kernelStacks.has(s.kernStack)) {
      const st = read(s.kernStack);
      if (st) kernelStacks.set(s.kernStack, st);
    }
  }
  for (const id of [...userStacks.keys(), ...kernelStacks.keys()]) {
    if (keep.has(id)) continue;
    key.writeUInt32LE(id);
    map.delete(key);
  }
  return { userStacks, kernelStacks, missingStacks };
}
