import { describe, expect, it } from 'vitest';
import { buildModel, type EdgeInput, ZERO } from './model';
import { drawMap } from './render';
import { LIGHT, nodeRadii } from './style';

/** Counts what drawMap asks of a 2D context (Node has no canvas; the browser tests draw for real). */
function recorder() {
  const calls: Record<string, number> = {};
  const count = (name: string) => () => {
    calls[name] = (calls[name] ?? 0) + 1;
  };
  const ctx = new Proxy(
    {},
    {
      get: (_, name: string) => (name in calls || /^[a-z]/.test(name) ? count(name) : undefined),
      set: () => true,
    },
  ) as unknown as CanvasRenderingContext2D;
  return { ctx, calls };
}

describe('map renderer', () => {
  const n = 2000;
  const edges: EdgeInput[] = Array.from({ length: 5000 }, (_, i) => ({
    ...ZERO,
    source: `n${i % n}`,
    target: `n${(i * 7 + 1) % n}`,
    requests: 1 + (i % 50),
    errors: i % 11 === 0 ? 1 : 0,
  }));
  const model = buildModel(edges, [], 60);
  const radii = nodeRadii(model);
  const pos = new Float64Array(2 * model.nodes.length).map((_, i) => ((i * 37) % 400) - 200);
  const st = { transform: { x: 500, y: 400, k: 2 }, width: 1000, height: 800, dpr: 1, palette: LIGHT };

  it('strokes 5,000 edges and fills 2,000 nodes in a few batched paths', () => {
    const { ctx, calls } = recorder();
    drawMap(ctx, model, pos, radii, st);
    expect(calls.stroke).toBeLessThan(120);
    expect(calls.fill).toBeLessThan(40);
    expect(calls.arc).toBeGreaterThanOrEqual(model.nodes.length);
  });

  it('caps labels per frame, always labelling the hovered and selected nodes', () => {
    const { ctx, calls } = recorder();
    drawMap(ctx, model, pos, radii, { ...st, transform: { x: 500, y: 400, k: 4 }, hover: 3, selected: 4 });
    expect(calls.fillText).toBeLessThanOrEqual(202);
    expect(calls.fillText).toBeGreaterThan(100);
  });
});
