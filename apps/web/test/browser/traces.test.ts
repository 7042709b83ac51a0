/**
 * The traces view end to end on real data: the demo chain captured by the real eBPF capture
 * (as root), shipped through the agent link into the real API, assembled by trace.search /
 * trace.get / trace.byRecord, shown by the built web app in Chromium.
 */
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIG_TRACE_ID, BIG_TRACE_SPANS, bigTrace } from './big-trace';
import { ARGS, CHROMIUM, eventually } from './chromium';
import { sendRequestLogs } from './ingest';
import { type Stack, startStack } from './stack';
import { captureDemoTraces } from './trace-capture';

const REQUESTS = 6;
const isRoot = process.getuid?.() === 0;

describe('traces page', () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    const [s, captured] = await Promise.all([
      startStack(),
      isRoot ? captureDemoTraces(REQUESTS) : Promise.resolve({ records: [] }),
    ]);
    stack = s;
    if (captured.records.length) await sendRequestLogs(stack, captured.records);
    await sendRequestLogs(stack, bigTrace(Date.now() * 1000));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${stack.web}/login?next=${encodeURIComponent('/traces?range=15m')}`);
    await page.getByLabel('Password').fill(stack.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/traces\?range=15m$/);
  });

  it('shows a trace of 10,001 spans with only the rows in view in the page', async () => {
    const big = await context.newPage();
    const t = performance.now();
    let answered = 0;
    big.on('response', (r) => {
      if (r.url().includes('trace.get')) answered = performance.now();
    });
    await big.goto(`${stack.web}/traces?trace=${BIG_TRACE_ID}`);
    await eventually(() => big.getByTestId('trace-stats').textContent(), 60_000).toMatch(
      new RegExp(`^${BIG_TRACE_SPANS} spans`),
    );
    await big.getByTestId('span-row').first().waitFor();
    console.log(
      `traces page: ${BIG_TRACE_SPANS} spans: API answered after ${Math.round(answered - t)} ms, ` +
        `waterfall shown ${Math.round(performance.now() - answered)} ms later`,
    );
    const inDom = await big.getByTestId('span-row').count();
    expect(inDom).toBeGreaterThan(10);
    expect(inDom).toBeLessThan(200);
    // scrolling to the end brings the last call's server side into view
    await big.getByTestId('waterfall').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await eventually(() => big.getByTestId('span-row').last().textContent()).toContain('/item/4999');
    await big.close();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it.skipIf(!isRoot)('lists one entry request per trace and opens its waterfall with every hop', async () => {
    // the captured entries, plus the big trace's entry
    await eventually(() => page.getByTestId('trace-count').textContent()).toBe(`${REQUESTS + 1} traces`);
    const entries = await page.getByTestId('trace-row').allTextContents();
    expect(entries.filter((t) => /GET \/api\/items\/\d+/.test(t))).toHaveLength(REQUESTS);
    expect(entries.filter((t) => t.includes('GET /batch'))).toHaveLength(1);
    await page.getByTestId('trace-row').filter({ hasText: '/api/items/' }).first().click();
    await page.waitForURL(/[?&]trace=zs-/);
    await eventually(() => page.getByTestId('span-row').count()).toBeGreaterThanOrEqual(12);
    const rows = page.getByTestId('span-row');
    const texts = await rows.allTextContents();
    // the root is the load generator's side of the first hop; every demo service shows up
    expect(texts[0]).toMatch(/node\s*c-p\s*GET \/api\/items/);
    for (const svc of ['python3', 'redis-server', 'mariadbd', 'postgres'])
      expect(texts.some((t) => t.includes(svc))).toBe(true);
    // the entry hop's server side and the gateway's call are on the critical path
    expect(await page.locator('[data-testid=span-row][data-critical=true]').count()).toBeGreaterThanOrEqual(
      4,
    );
  });

  it.skipIf(!isRoot)('selects a span into the URL, and the URL alone reproduces the view', async () => {
    const catalog = page
      .getByTestId('span-row')
      .filter({ hasText: /python3\s*s-p/ })
      .first();
    await catalog.click();
    await page.waitForURL(/[?&]span=[0-9a-f]+/);
    const detail = page.getByTestId('span-detail');
    await eventually(() => detail.textContent()).toContain('same TCP sequence numbers');
    const url = page.url();
    const traceId = await page.getByTestId('trace-id').textContent();
    const stats = await page.getByTestId('trace-stats').textContent();
    const detailText = await detail.textContent();

    if (process.env.ZS_TRACE_SHOT) await page.screenshot({ path: process.env.ZS_TRACE_SHOT });
    const again = await context.newPage();
    await again.goto(url);
    await eventually(() => again.getByTestId('trace-id').textContent()).toBe(traceId);
    expect(await again.getByTestId('trace-stats').textContent()).toBe(stats);
    await eventually(() => again.getByTestId('span-detail').textContent()).toBe(detailText);
    expect(await again.locator('[data-testid=span-row][aria-selected=true]').count()).toBe(1);
    await again.close();
  });

  it.skipIf(!isRoot)('folds a subtree and jumps to a trace from the request-log drawer', async () => {
    const before = await page.getByTestId('span-row').count();
    await page.getByRole('button', { name: 'Collapse' }).nth(1).click();
    await page.waitForURL(/[?&]fold=/);
    await eventually(() => page.getByTestId('span-row').count()).toBeLessThan(before);

    await page.goto(`${stack.web}/requests?range=15m&q=%2Fstock%2F`);
    await page.getByTestId('request-row').first().click();
    await page.getByTestId('open-trace').click();
    await page.waitForURL(/\/traces\?rec=/);
    await eventually(() => page.getByTestId('span-row').count()).toBeGreaterThanOrEqual(12);
    expect(await page.locator('[data-testid=span-row][aria-selected=true]').count()).toBe(0);
  });
});
