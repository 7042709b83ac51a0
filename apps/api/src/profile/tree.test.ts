import { describe, expect, it } from 'vitest';
import { buildFlameTree, type FlameTree, select, subtreeEnd } from './tree';

const FOLDED = [
  { stack: 'main;work;burn', value: 60 },
  { stack: 'main;work;sleep', value: 10 },
  { stack: 'main;idle', value: 25 },
  { stack: 'main', value: 5 },
];

/** The tree as indented lines `name total/self`, to compare like a picture. */
function picture(t: FlameTree): string[] {
  return t.name.map((n, i) => `${'  '.repeat(t.depth[i]!)}${t.names[n]} ${t.total[i]}/${t.self[i]}`);
}

describe('buildFlameTree', () => {
  it('merges common prefixes in pre-order, widest child first, with exact self values', () => {
    const t = buildFlameTree(FOLDED);
    expect(picture(t)).toEqual([
      'all 100/0',
      '  main 100/5',
      '    work 70/0',
      '      burn 60/60',
      '      sleep 10/10',
      '    idle 25/25',
    ]);
    expect(t.sum).toBe(100);
    expect(t.truncated).toBe(0);
    expect(t.baseTotal).toBeUndefined();
  });

  it('finds each subtree as the contiguous run after its node', () => {
    const t = buildFlameTree(FOLDED);
    const work = t.name.findIndex((n) => t.names[n] === 'work');
    expect(subtreeEnd(t, work) - work).toBe(3);
    expect(subtreeEnd(t, 0)).toBe(t.name.length);
  });

  it('keeps at most maxNodes nodes, dropping the smallest, and counts them', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ stack: `main;f${i}`, value: i + 1 }));
    const t = buildFlameTree(rows, undefined, { maxNodes: 12 });
    expect(t.name.length).toBeLessThanOrEqual(12);
    expect(t.truncated).toBe(102 - t.name.length);
    // the biggest leaves survive, and totals stay exact
    expect(t.names[t.name[2]!]).toBe('f99');
    expect(t.total[1]).toBe(5050);
  });

  it('selects the k-th smallest value like a sort would', () => {
    let seed = 3;
    const rnd = () => {
      seed = (Math.imul(seed, 48271) >>> 0) % 2147483647;
      return seed % 50; // many ties
    };
    for (const n of [1, 2, 7, 100, 1001]) {
      const xs = Float64Array.from({ length: n }, rnd);
      const sorted = Float64Array.from(xs).sort();
      for (const k of [0, n >> 1, n - 1]) expect(select(Float64Array.from(xs), k)).toBe(sorted[k]);
    }
  });

  it('ignores zero, negative and non-finite values and empty frames', () => {
    const t = buildFlameTree([
      { stack: 'a;;b', value: 2 },
      { stack: 'x', value: 0 },
      { stack: 'y', value: -3 },
      { stack: 'z', value: Number.NaN },
    ]);
    expect(picture(t)).toEqual(['all 2/0', '  a 2/0', '    b 2/2']);
  });

  it('merges a baseline into the same tree for a diff', () => {
    const t = buildFlameTree(
      [
        { stack: 'main;hot', value: 80 },
        { stack: 'main;cold', value: 20 },
      ],
      [
        { stack: 'main;hot', value: 10 },
        { stack: 'main;cold', value: 30 },
        { stack: 'main;gone', value: 10 },
      ],
    );
    const at = (name: string) => t.name.findIndex((n) => t.names[n] === name);
    expect(t.sum).toBe(100);
    expect(t.baseSum).toBe(50);
    expect([t.total[at('hot')], t.baseTotal![at('hot')]]).toEqual([80, 10]);
    expect([t.total[at('gone')], t.baseTotal![at('gone')], t.baseSelf![at('gone')]]).toEqual([0, 10, 10]);
    expect(t.baseTotal![0]).toBe(50);
  });
});
