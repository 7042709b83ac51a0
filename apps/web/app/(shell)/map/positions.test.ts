import { describe, expect, it } from 'vitest';
import { bounds, createLayout, hitNode, nearestInDirection } from './positions';

describe('map layout', () => {
  it('lays out a 2,000-node graph within its time budget and keeps positions finite', () => {
    const n = 2000;
    const links = Array.from({ length: 5000 }, (_, i) => ({ source: i % n, target: (i * 7 + 13) % n }));
    const layout = createLayout(n, links, new Float32Array(n).fill(6));
    const t0 = performance.now();
    layout.step(150);
    // one budgeted batch, plus at most one tick's overshoot
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(layout.positions.every(Number.isFinite)).toBe(true);
    const b = bounds(layout.positions);
    expect(b.x1 - b.x0).toBeGreaterThan(100);
    layout.stop();
    expect(layout.step(10)).toBe(false);
  });

  it('hit-tests the topmost visible node under a point', () => {
    const p = new Float64Array([0, 0, 3, 0, 100, 100]);
    const r = [5, 5, 5];
    expect(hitNode(p, r, 2.5, 0)).toBe(1);
    expect(hitNode(p, r, 2.5, 0, (i) => i !== 1)).toBe(0);
    expect(hitNode(p, r, 50, 50)).toBeUndefined();
  });

  it('moves the keyboard selection to the nearest node in a direction', () => {
    // a plus: centre 0, right 1, left 2, up 3 (y grows down), down 4, far right 5
    const p = new Float64Array([0, 0, 10, 1, -10, 0, 0, -10, 0, 10, 30, 0]);
    expect(nearestInDirection(p, 0, 'right')).toBe(1);
    expect(nearestInDirection(p, 1, 'right')).toBe(5);
    expect(nearestInDirection(p, 0, 'left')).toBe(2);
    expect(nearestInDirection(p, 0, 'up')).toBe(3);
    expect(nearestInDirection(p, 0, 'down')).toBe(4);
    expect(nearestInDirection(p, 5, 'right')).toBeUndefined();
    expect(nearestInDirection(p, 0, 'right', (i) => i !== 1)).toBe(5);
    // no selection yet: the node nearest the middle of the map (10, 0)
    expect(nearestInDirection(p, undefined, 'right')).toBe(1);
  });

  it('starts a refreshed map where the last one was and barely moves it', () => {
    const n = 300;
    const links = Array.from({ length: 600 }, (_, i) => ({ source: i % n, target: (i * 7 + 3) % n }));
    const radii = new Float32Array(n).fill(6);
    const first = createLayout(n, links, radii);
    while (first.step(50));
    const before = Float64Array.from(first.positions);
    // the same nodes plus ten newcomers at the end
    const again = createLayout(n + 10, links, new Float32Array(n + 10).fill(6), (i) =>
      i < n ? [before[2 * i]!, before[2 * i + 1]!] : undefined,
    );
    expect(again.seeded).toBe(true);
    while (again.step(50));
    let moved = 0;
    for (let i = 0; i < n; i++)
      moved = Math.max(
        moved,
        Math.hypot(
          again.positions[2 * i]! - before[2 * i]!,
          again.positions[2 * i + 1]! - before[2 * i + 1]!,
        ),
      );
    const b = bounds(before);
    expect(moved).toBeLessThan(0.15 * Math.max(b.x1 - b.x0, b.y1 - b.y0));
    expect(createLayout(n, links, radii, (i) => (i < 10 ? [0, 0] : undefined)).seeded).toBe(false);
  });
});
