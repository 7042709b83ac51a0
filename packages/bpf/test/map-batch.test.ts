/** Whole-map dump and many-key delete (the profiler's drain) on a real kernel hash map. */
import { BpfError, BpfObject, objectPath } from '@zeroscope/bpf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRoot, SKIP_REASON } from './helpers';

describe.skipIf(!isRoot)(`map dump and deleteMany ${isRoot ? '' : SKIP_REASON}`, () => {
  let obj: BpfObject;
  beforeAll(() => {
    obj = BpfObject.open(objectPath('profile'));
    // loaded but never attached: its maps are ours alone
    for (const p of obj.programs()) obj.setAutoload(p.name, p.name === 'profile_cpu');
    obj.load();
  });
  afterAll(() => obj?.dispose());

  it('returns every element in one call and deletes the chosen keys', () => {
    const m = obj.map('sleeping');
    const { keySize, valueSize } = m.info();
    const key = (i: number) => {
      const k = Buffer.alloc(keySize);
      k.writeUInt32LE(i);
      return k;
    };
    for (let i = 1; i <= 300; i++) {
      const v = Buffer.alloc(valueSize);
      v.writeBigUInt64LE(BigInt(i * 1000));
      m.update(key(i), v);
    }
    const all = m.entries();
    expect(all.length).toBe(300);
    const byKey = new Map(all.map(([k, v]) => [k.readUInt32LE(0), Number(v.readBigUInt64LE(0))]));
    expect(byKey.get(7)).toBe(7000);
    expect(byKey.get(300)).toBe(300_000);

    const odd = all.filter(([k]) => k.readUInt32LE(0) % 2 === 1).map(([k]) => k);
    expect(m.deleteMany(odd)).toBe(150);
    expect(m.deleteMany([key(1)])).toBe(0); // already gone
    expect(m.entries().every(([k]) => k.readUInt32LE(0) % 2 === 0)).toBe(true);
    expect(m.entries().length).toBe(150);
  });

  it('refuses keys that are not whole map keys', () => {
    expect(() => obj.map('sleeping').deleteMany([Buffer.alloc(3)])).toThrow(BpfError);
  });
});
