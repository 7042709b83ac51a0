/**
 * Flame-graph render time in headless Chromium: the web app's own flame core
 * (@zeroscope/web/flame, bundled with esbuild) draws the API's tree of `stacks` on a
 * 1400 px canvas. Timed in the page: JSON parse of the tree as the API sends it, layout,
 * colours, drawing, and a pixel read-back so the raster work is included.
 */
import { buildFlameTree } from '@zeroscope/api/profile';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const PAGE_ENTRY = `
import { layoutTree, nameColors, renderFlame } from '@zeroscope/web/flame';
window.runFlame = (json, width) => {
  const t0 = performance.now();
  const tree = JSON.parse(json);
  const t1 = performance.now();
  const lay = layoutTree(tree);
  const colors = nameColors(tree.names);
  const t2 = performance.now();
  const canvas = document.createElement('canvas');
  const rowHeight = 18;
  canvas.width = width;
  canvas.height = (lay.maxDepth + 1) * rowHeight;
  document.body.replaceChildren(canvas);
  const ctx = canvas.getContext('2d');
  const r = renderFlame(ctx, tree, lay, { width, rowHeight, mode: 'flame', focus: 0 }, { colors, diff: false });
  ctx.getImageData(0, 0, 1, 1); // waits for the raster work
  const t3 = performance.now();
  return { parseMs: t1 - t0, layoutMs: t2 - t1, drawMs: t3 - t2, totalMs: t3 - t0, drawn: r.drawn, nodes: tree.name.length };
};
`;

export interface RenderResult {
  stacks: number;
  nodes: number;
  treeBuildMs: number;
  jsonBytes: number;
  runs: { parseMs: number; layoutMs: number; drawMs: number; totalMs: number; drawn: number }[];
}

export async function measureRender(
  rows: { stack: string; value: number }[],
  runs = 5,
): Promise<RenderResult> {
  const t0 = performance.now();
  const tree = buildFlameTree(rows);
  const treeBuildMs = performance.now() - t0;
  const json = JSON.stringify(tree);
  const bundle = await build({
    stdin: { contents: PAGE_ENTRY, resolveDir: import.meta.dirname, loader: 'js' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    logLevel: 'silent',
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.setContent('<!doctype html><body></body>');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    const out: RenderResult['runs'] = [];
    for (let i = 0; i < runs; i++) {
      out.push(
        await page.evaluate(
          ([j, w]) =>
            (window as unknown as { runFlame(j: string, w: number): RenderResult['runs'][number] }).runFlame(
              j,
              w,
            ),
          [json, 1400] as const,
        ),
      );
    }
    return { stacks: rows.length, nodes: tree.name.length, treeBuildMs, jsonBytes: json.length, runs: out };
  } finally {
    await browser.close();
  }
}
