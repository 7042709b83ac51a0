/**
 * The request-log page end to end: real API (chDB + SQLite under a temp dir), the built
 * web app behind `next start`, records arriving through the agent link, and Chromium.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocalInput } from '@/lib/time-range';
import { ARGS, CHROMIUM, eventually } from './chromium';
import { ingestScenario, SCENARIO, scenarioRecords, sendRequestLogs } from './ingest';
import { type Stack, startStack } from './stack';

const summary = (page: Page) => page.getByTestId('summary');
const rows = (page: Page) => page.getByTestId('request-row');

describe('requests page', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (npm test installs it)`);
    stack = await startStack();
    await ingestScenario(stack);
    // launch() runs Chromium on a fresh temporary profile of its own
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(30_000);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('sends a signed-out visitor to the login form and back to the view they asked for', async () => {
    await page.goto(`${stack.web}/requests?range=1h`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await eventually(() => page.locator('form [role=alert]').textContent()).toMatch(/password/i);

    await page.getByLabel('Password').fill(stack.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/requests\?range=1h$/);
  });

  it('shows the ingested request logs, newest first', async () => {
    await eventually(() => summary(page).textContent()).toBe(
      `1–${SCENARIO.total} of ${SCENARIO.total} requests`,
    );
    const first = rows(page).first();
    await eventually(() => first.textContent()).toContain(SCENARIO.newestResource);
    expect(await rows(page).count()).toBeGreaterThan(10);
  });

  it('narrows the rows with the protocol filter and the search box, in the URL', async () => {
    await page.getByRole('button', { name: 'mysql', exact: true }).click();
    await eventually(() => summary(page).textContent()).toBe(
      `1–${SCENARIO.mysql} of ${SCENARIO.mysql} requests`,
    );
    expect(page.url()).toContain('proto=mysql');
    for (const text of await rows(page).allTextContents()) expect(text).toContain('mysql');

    await page.getByRole('button', { name: 'mysql', exact: true }).click();
    await page.getByLabel('Search').fill(SCENARIO.searchTerm);
    await eventually(() => summary(page).textContent()).toBe('1–1 of 1 requests');
    expect(new URL(page.url()).searchParams.get('q')).toBe(SCENARIO.searchTerm);
    await page.getByLabel('Search').fill('');
    await eventually(() => summary(page).textContent()).toBe(
      `1–${SCENARIO.total} of ${SCENARIO.total} requests`,
    );

    await page.getByRole('button', { name: 'server error', exact: true }).click();
    await eventually(() => summary(page).textContent()).toBe(
      `1–${SCENARIO.serverErrors} of ${SCENARIO.serverErrors} requests`,
    );
  });

  it('opens a drawer with every field of the selected record', async () => {
    const row = rows(page).nth(1);
    const resource = (await row.locator('span').nth(4).textContent()) ?? '';
    await row.click();
    const drawer = page.getByTestId('drawer');
    await eventually(() => drawer.locator('[data-field=request_resource] dd').textContent()).toBe(resource);
    expect(await drawer.locator('[data-field=response_status] dd').textContent()).toBe('server_error');
    // all the record's columns are listed: base fields, both ends' tag ids, attributes
    expect(await drawer.locator('[data-field]').count()).toBeGreaterThan(60);
    expect(await drawer.locator('[data-field="auto_service_id_1"]').count()).toBe(1);
    expect(page.url()).toContain('sel=');
  });

  it('reproduces the same view from its URL', async () => {
    const url = page.url();
    const before = await rows(page).allTextContents();
    const drawerBefore = await page
      .getByTestId('drawer')
      .locator('[data-field=request_resource] dd')
      .textContent();

    const fresh = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // a new page from the browser is a new context: carry over only the session cookie
    await fresh.context().addCookies(await page.context().cookies());
    await fresh.goto(url);
    await eventually(() => summary(fresh).textContent()).toBe(
      `1–${SCENARIO.serverErrors} of ${SCENARIO.serverErrors} requests`,
    );
    expect(await rows(fresh).allTextContents()).toEqual(before);
    expect(
      await fresh.getByRole('button', { name: 'server error', exact: true }).getAttribute('aria-pressed'),
    ).toBe('true');
    await eventually(() =>
      fresh.getByTestId('drawer').locator('[data-field=request_resource] dd').textContent(),
    ).toBe(drawerBefore);
    await fresh.close();

    await page.reload();
    await eventually(() => rows(page).allTextContents()).toEqual(before);
  });

  it('picks an absolute range, and shows the empty state when nothing matches', async () => {
    await page.goto(`${stack.web}/requests?range=1h`);
    await eventually(() => summary(page).textContent()).toBe(
      `1–${SCENARIO.total} of ${SCENARIO.total} requests`,
    );
    const now = Math.floor(Date.now() / 1000);
    const pick = async (from: number, to: number) => {
      await page.getByLabel('Time range').selectOption('custom');
      await page.getByLabel('From', { exact: true }).fill(toLocalInput(from));
      await page.getByLabel('To', { exact: true }).fill(toLocalInput(to));
      await page.getByRole('button', { name: 'Apply' }).click();
    };
    await pick(now - 2 * 86400, now - 86400);
    await page.getByTestId('empty').waitFor();
    expect(await summary(page).textContent()).toBe('No requests');
    const url = new URL(page.url());
    expect(url.searchParams.get('range')).toBeNull();
    expect(Number(url.searchParams.get('to')) - Number(url.searchParams.get('from'))).toBe(86400);

    await pick(now - 3600, now + 120);
    await eventually(() => summary(page).textContent()).toBe(
      `1–${SCENARIO.total} of ${SCENARIO.total} requests`,
    );
  });

  it('auto refresh brings in records that arrive while the page is open', async () => {
    await page.goto(`${stack.web}/requests?range=15m&refresh=5s`);
    await eventually(() => summary(page).textContent()).toBe(
      `1–${SCENARIO.total} of ${SCENARIO.total} requests`,
    );
    expect(await page.getByLabel('Auto refresh').inputValue()).toBe('5s');
    const late = scenarioRecords(Date.now() * 1000)
      .slice(0, 2)
      .map((r, i) => ({ ...r, start_time: Date.now() * 1000 - i, request_resource: `/shop/late/${i}` }));
    await sendRequestLogs(stack, late);
    await eventually(() => summary(page).textContent()).toBe(
      `1–${SCENARIO.total + 2} of ${SCENARIO.total + 2} requests`,
    );
    expect(await rows(page).first().textContent()).toContain('/shop/late/0');
  });

  it('follows the color scheme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(dark).toBe('rgb(15, 17, 21)');
    expect(light).toBe('rgb(247, 248, 250)');
  });

  it('returns to the login form after signing out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${stack.web}/requests`);
    await page.waitForURL(/\/login\?next=/);
  });
});
