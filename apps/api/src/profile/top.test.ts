import { describe, expect, it } from 'vitest';
import { topFunctions, topFunctionsDiff } from './top';

describe('topFunctions', () => {
  const rows = [
    { stack: 'main;parse;alloc', value: 30 },
    { stack: 'main;render;alloc', value: 20 },
    { stack: 'main;render', value: 40 },
    // recursion counts once per stack in total
    { stack: 'main;walk;walk;walk', value: 10 },
  ];

  it('ranks by self time: the leaf of each stack', () => {
    expect(topFunctions(rows)).toEqual([
      { name: 'alloc', self: 50, total: 50 },
      { name: 'render', self: 40, total: 60 },
      { name: 'walk', self: 10, total: 10 },
      { name: 'main', self: 0, total: 100 },
      { name: 'parse', self: 0, total: 30 },
    ]);
  });

  it('ranks by total time and limits the list', () => {
    expect(topFunctions(rows, 2, 'total').map((r) => [r.name, r.total])).toEqual([
      ['main', 100],
      ['render', 60],
    ]);
  });

  it("carries each function's baseline values for a diff table", () => {
    const d = topFunctionsDiff(rows, [
      { stack: 'main;render;alloc', value: 5 },
      { stack: 'main;gone', value: 7 },
    ]);
    expect(d.find((f) => f.name === 'alloc')).toEqual({
      name: 'alloc',
      self: 50,
      total: 50,
      baseSelf: 5,
      baseTotal: 5,
    });
    expect(d.find((f) => f.name === 'walk')).toMatchObject({ baseSelf: 0, baseTotal: 0 });
    expect(d.some((f) => f.name === 'gone')).toBe(false);
  });
});
