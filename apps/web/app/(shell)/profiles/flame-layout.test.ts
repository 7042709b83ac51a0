import { describe, expect, it } from 'vitest';
import { diffColor, diffDelta, frameKind } from './flame-colors';
import {
  type FlameData,
  findPath,
  hitTest,
  layoutTree,
  pathOf,
  searchTree,
  type Viewport,
} from './flame-layout';

/** all(100) -> main(100) -> [work(70) -> [burn(60), sleep(10)], idle(25)], as the API sends it */
const TREE: FlameData = {
  names: ['all', 'main', 'work', 'burn', 'sleep', 'idle'],
  name: [0, 1, 2, 3, 4, 5],
  depth: [0, 1, 2, 3, 3, 2],
  total: [100, 100, 70, 60, 10, 25],
  self: [0, 5, 0, 60, 10, 25],
  sum: 100,
};

describe('flame layout', () => {
  const lay = layoutTree(TREE);

  it('places children left to right inside their parent', () => {
    expect([...lay.x]).toEqual([0, 0, 0, 0, 60, 70]);
    expect([...lay.end]).toEqual([6, 6, 5, 4, 5, 6]);
    expect(lay.maxDepth).toBe(3);
  });

  it('names a node by its path and finds it again', () => {
    expect(pathOf(TREE, 4)).toBe('main;work;sleep');
    expect(findPath(TREE, lay, 'main;work;sleep')).toBe(4);
    expect(findPath(TREE, lay, 'main;idle')).toBe(5);
    expect(findPath(TREE, lay, 'main;nope')).toBe(0);
    expect(findPath(TREE, lay, '')).toBe(0);
  });

  it('hit-tests flame (root at the bottom) and icicle, also when zoomed', () => {
    const flame: Viewport = { width: 1000, rowHeight: 10, mode: 'flame', focus: 0 };
    expect(hitTest(TREE, lay, flame, 500, 35)).toBe(0); // bottom row: the root
    expect(hitTest(TREE, lay, flame, 650, 5)).toBe(4); // top row, 65%: sleep
    expect(hitTest(TREE, lay, flame, 990, 5)).toBe(-1); // nothing above idle
    const icicle: Viewport = { ...flame, mode: 'icicle' };
    expect(hitTest(TREE, lay, icicle, 800, 25)).toBe(5); // idle at depth 2
    // zoomed on work: 0..70 fills the width, so sleep starts at 60/70 of it
    const zoom: Viewport = { ...icicle, focus: 2 };
    expect(hitTest(TREE, lay, zoom, 900, 35)).toBe(4);
    expect(hitTest(TREE, lay, zoom, 100, 5)).toBe(0); // ancestors span the width
  });

  it('searches names (substring or /regex/) and counts nested matches once', () => {
    const s = searchTree(TREE, lay, 'WORK')!;
    expect(s.value).toBe(70);
    expect(s.names).toBe(1);
    const r = searchTree(TREE, lay, '/^(burn|idle)$/')!;
    expect(r.value).toBe(85);
    expect(searchTree(TREE, lay, '  ')).toBeUndefined();
    expect(searchTree(TREE, lay, '/(/')).toBeUndefined();
  });

  it('colours a diff by share change and kinds by name', () => {
    const diff: FlameData = { ...TREE, baseTotal: [50, 50, 10, 5, 5, 40], baseSum: 50 };
    expect(diffDelta(diff, 3)).toBeCloseTo((0.6 - 0.1) / 0.6); // burn grew
    expect(diffDelta(diff, 5)).toBeLessThan(0); // idle shrank
    expect(diffColor(0.9)).toMatch(/^hsl\(0,/);
    expect(diffColor(-0.9)).toMatch(/^hsl\(215,/);
    expect(frameKind('schedule_[k]')).toBe('kernel');
    expect(frameKind('spinZeroscope file:///x.js:1:10')).toBe('js');
    expect(frameKind('[node: run with --perf-basic-prof]')).toBe('placeholder');
    expect(frameKind('burn_cpu')).toBe('native');
  });
});
