/**
 * The flame-graph page on real profile data (as root: the agent's perf_event profiler
 * samples a C program spinning in a named function), through the real API and the built
 * web app, in Chromium.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARGS, CHROMIUM, eventually } from './chromium';
import { ingestProfile } from './profile-data';
import { type Stack, startStack } from './stack';

const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('profiles page', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let pid = 0;
  const canvas = () => page.getByTestId('flame-canvas');
  const summary = () => page.getByTestId('profile-summary');

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (npm test installs it)`);
    stack = await startStack();
    ({ pid } = await ingestProfile(stack));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(30_000);
    await page.goto(`${stack.web}/login?next=${encodeURIComponent(`/profiles?range=15m&pid=${pid}`)}`);
    await page.getByLabel('Password').fill(stack.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/profiles\?/);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('draws the flame graph of the profiled process on canvas', async () => {
    await eventually(async () => Number(await canvas().getAttribute('data-drawn'))).toBeGreaterThan(3);
    await eventually(() => summary().textContent()).toMatch(/frames/);
    expect(await page.getByRole('link', { name: 'Profiles' }).getAttribute('aria-current')).toBe('page');
  });

  it('lists the spinning function first in the function table', async () => {
    const first = page.getByTestId('function-table').locator('tbody tr').first();
    await eventually(() => first.textContent()).toContain('burn_cpu_zeroscope');
  });

  it('searches from the function table: the function covers most of the graph', async () => {
    await page.getByTestId('function-table').locator('tbody tr').first().click();
    await page.waitForURL(/q=burn_cpu_zeroscope/);
    await eventually(() => summary().textContent()).toMatch(/“burn_cpu_zeroscope” \d+%/);
    const pct = Number(/“burn_cpu_zeroscope” (\d+)%/.exec((await summary().textContent()) ?? '')?.[1]);
    // a majority: under a loaded test run the spinner's start-up code takes a bigger share
    expect(pct).toBeGreaterThan(50);
  });

  it('shows a tooltip on hover and zooms on click, keeping the zoom in the URL', async () => {
    const box = (await canvas().boundingBox())!;
    // flame mode: the root spans the bottom row
    await page.mouse.move(box.x + box.width / 2, box.y + box.height - 6);
    await eventually(() => page.getByTestId('flame-tooltip').textContent()).toMatch(/^all/);
    // the row above: the widest child of the root; click zooms into it
    await page.mouse.click(box.x + 5, box.y + box.height - 24);
    await page.waitForURL(/focus=/);
    expect(await page.getByRole('button', { name: 'Reset zoom' }).isVisible()).toBe(true);
  });

  it('switches to icicle and to the diff view through the URL', async () => {
    await page.getByRole('button', { name: 'Icicle' }).click();
    await page.waitForURL(/mode=icicle/);
    await page.getByRole('button', { name: 'Diff with previous' }).click();
    await page.waitForURL(/base_from=\d+&base_to=\d+/);
    await eventually(() => summary().textContent()).toMatch(/^diff: /);
    // the function table gains the change of each function's share
    await eventually(() => page.getByTestId('self-delta').count()).toBeGreaterThan(0);
    await eventually(async () => Number(await canvas().getAttribute('data-drawn'))).toBeGreaterThan(3);
  });

  it('filters by any tag typed as tag=value', async () => {
    await page.getByRole('button', { name: 'Exit diff' }).click();
    await page.getByLabel('Tag filter').fill('process_kname=burn');
    await page.getByLabel('Tag filter').press('Enter');
    await page.waitForURL(/tag=process_kname%3Aburn/);
    await eventually(() => summary().textContent()).toMatch(/frames/);
    const first = page.getByTestId('function-table').locator('tbody tr').first();
    await eventually(() => first.textContent()).toContain('burn_cpu_zeroscope');
    await page.getByRole('button', { name: 'process_kname=burn ✕' }).click();
    await eventually(async () => page.url()).not.toContain('tag=');
  });

  it('downloads pprof with the login cookie', async () => {
    const href = await page.getByRole('link', { name: 'pprof' }).getAttribute('href');
    const res = await page.request.get(`${stack.web}${href}`);
    expect(res.status()).toBe(200);
    const body = await res.body();
    expect([body[0], body[1]]).toEqual([0x1f, 0x8b]);
  });
});
