import { describe, expect, it } from 'vitest';
import { assemble, portsFilter } from './cbpf';

describe('cbpf', () => {
  it('encodes struct sock_filter and resolves forward labels', () => {
    const b = assemble([
      { code: 0x28, k: 12 },
      { code: 0x15, k: 0x800, jt: 'yes', jf: 0 },
      { code: 0x06, k: 0 },
      { label: 'yes', code: 0x06, k: 0xffff },
    ]);
    expect([...b.subarray(8, 16)]).toEqual([0x15, 0, 1, 0, 0x00, 0x08, 0, 0]);
    expect(b.readUInt32LE(28)).toBe(0xffff);
  });

  it('rejects jumps backwards or to unknown labels', () => {
    expect(() =>
      assemble([
        { label: 'a', code: 0x06 },
        { code: 0x15, jt: 'a' },
      ]),
    ).toThrow(/bad jump/);
    expect(() => assemble([{ code: 0x15, jt: 'nowhere' }])).toThrow(/bad jump/);
  });

  it('accepts everything without ports and matches both ends of each port otherwise', () => {
    expect(portsFilter([]).length).toBe(8);
    const f = portsFilter([80, 443]);
    const ks: number[] = [];
    for (let i = 0; i < f.length; i += 8) if (f.readUInt16LE(i) === 0x15) ks.push(f.readUInt32LE(i + 4));
    expect(ks.filter((k) => k === 80)).toHaveLength(4);
  });
});
