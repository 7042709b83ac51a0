/**
 * The trace waterfall at scale (PRODUCT.md §4: a trace of 10,000 spans renders in <= 1 s),
 * run by ./run.ts with its stack and logged-in page. Prints, per load of the 10,001-span
 * trace, the time until the API's trace.get answered (assembly in the API) and the time from
 * that answer to the first waterfall rows on screen (the browser's part), medians of 5 loads.
 */
import type { Browser, Page } from 'playwright-core';
import { BIG_TRACE_ID, BIG_TRACE_SPANS, bigTrace } from '../../apps/web/test/browser/big-trace';
import { sendRequestLogs } from '../../apps/web/test/browser/ingest';
import type { Stack } from '../../apps/web/test/browser/stack';

const RUNS = 5;
const TARGET_MS = 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchTrace(ctx: { stack: Stack; browser: Browser; page: Page }): Promise<void> {
  const { stack, page } = ctx;
  await sendRequestLogs(stack, bigTrace(Date.now() * 1000));
  const api: number[] = [];
  const render: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    let answered = 0;
    const onResponse = (r: { url(): string }) => {
      if (r.url().includes('trace.get')) answered = performance.now();
    };
    page.on('response', onResponse);
    const t = performance.now();
    await page.goto(`${stack.web}/traces?trace=${BIG_TRACE_ID}`);
    await page.getByTestId('span-row').first().waitFor({ timeout: 120_000 });
    const shown = performance.now();
    page.off('response', onResponse);
    const stats = (await page.getByTestId('trace-stats').textContent()) ?? '';
    if (!stats.startsWith(`${BIG_TRACE_SPANS} spans`)) throw new Error(`unexpected trace: ${stats}`);
    if (i === 0) continue; // warm-up: JS chunks and chDB caches
    api.push(answered - t);
    render.push(shown - answered);
  }
  const a = Math.round(median(api));
  const r = Math.round(median(render));
  console.log(`trace waterfall: ${BIG_TRACE_SPANS} spans, medians of ${RUNS} loads`);
  console.log(`  navigation -> trace.get answered (API assembly): ${a} ms`);
  console.log(
    `  answer -> waterfall rows on screen (browser):    ${r} ms (target <= ${TARGET_MS} ms, ratio ${(r / TARGET_MS).toFixed(2)})`,
  );
  console.log(`  navigation -> rows on screen, total:             ${a + r} ms`);
}
