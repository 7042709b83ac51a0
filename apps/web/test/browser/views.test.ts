/**
 * The map, network, service and resources views end to end: the real API (chDB + SQLite),
 * the built web app, the shop scenario (shop.ts) arriving through the agent link, and
 * Chromium. Each view loads, filters, drills down, and its URL reproduces it.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARGS, CHROMIUM, eventually } from './chromium';
import { ingestShop } from './shop';
import { type Stack, startStack } from './stack';

const param = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

describe('map, network, services and resources views', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  /** the moment the shop's traffic ends at, epoch seconds */
  let shopNow: number;

  /** A second tab with the same session: proves a URL alone reproduces a view. */
  async function fresh(url: string): Promise<Page> {
    const p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await p.context().addCookies(await page.context().cookies());
    await p.goto(url);
    return p;
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    stack = await startStack();
    shopNow = Math.floor((await ingestShop(stack)) / 1e6);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(20_000);
    await page.goto(`${stack.web}/login?next=${encodeURIComponent('/map?range=15m')}`);
    await page.getByLabel('Password').fill(stack.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname === '/map');
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const canvas = (p: Page) => p.locator('[data-testid=map-canvas][data-rendered=true]');
  const nodeList = (p: Page) => p.getByTestId('node-list');

  it('map: draws the services with their calls and filters by protocol and grouping', async () => {
    await canvas(page).waitFor();
    // six shop services plus the host of the replayed capture; seven shop edges plus its loop
    expect(Number(await canvas(page).getAttribute('data-nodes'))).toBe(7);
    expect(Number(await canvas(page).getAttribute('data-edges'))).toBe(8);
    await eventually(() => nodeList(page).textContent()).toContain('checkout');

    await page.getByRole('group', { name: 'Protocols' }).getByRole('button', { name: 'mysql' }).click();
    await eventually(() => canvas(page).getAttribute('data-edges')).toBe('2');
    expect(param(page, 'proto')).toBe('mysql');
    await page.getByRole('group', { name: 'Protocols' }).getByRole('button', { name: 'mysql' }).click();

    await page.getByLabel('Group by', { exact: true }).selectOption('namespace');
    await eventually(async () => (await nodeList(page).textContent()) ?? '').toMatch(/shop.*data|data.*shop/);
    expect(param(page, 'group')).toBe('namespace');
    // any tag groups the map: here the pods' `app` label
    await page.getByLabel('Group by', { exact: true }).selectOption('other tag…');
    await page.getByLabel('Group by tag').fill('k8s.label.app');
    await page.getByLabel('Group by tag').press('Enter');
    await eventually(() => Promise.resolve(param(page, 'group'))).toBe('k8s.label.app');
    await eventually(() => nodeList(page).textContent()).toContain('checkout');
    await page.getByLabel('Group by', { exact: true }).selectOption('service');
    await eventually(() => canvas(page).getAttribute('data-edges')).toBe('8');
  });

  it('map: a node opens its RED, neighbours, instances and endpoints, and focuses its paths', async () => {
    await nodeList(page).getByRole('button', { name: 'catalog', exact: true }).click();
    const panel = page.getByTestId('node-panel');
    await eventually(() => panel.getByTestId('node-name').textContent()).toBe('catalog');
    expect(param(page, 'sel')).toBe('catalog');
    expect(await panel.getByTestId('upstream').textContent()).toMatch(/frontend.*cart/);
    expect(await panel.getByTestId('downstream').textContent()).toContain('mysql');
    await eventually(() => panel.getByTestId('instances').textContent()).toContain('catalog-7c9d2-r4t5y');
    expect(await panel.getByTestId('endpoints').textContent()).toContain('/api/items');

    await panel.getByRole('button', { name: 'Focus up/downstream' }).click();
    await eventually(() => page.getByTestId('focus').textContent()).toContain('catalog');
    expect(param(page, 'focus')).toBe('catalog');

    // keyboard: arrows move the selection on the canvas, Escape clears it
    await canvas(page).focus();
    await page.keyboard.press('Escape');
    await eventually(() => Promise.resolve(param(page, 'sel'))).toBeNull();
    await page.keyboard.press('ArrowRight');
    await eventually(() => Promise.resolve(param(page, 'sel'))).not.toBeNull();
  });

  it('map: the time slider scrubs to a minute and the diff of two minutes lists added and removed edges', async () => {
    await page.goto(`${stack.web}/map?range=15m`);
    await canvas(page).waitFor();
    const slider = page.getByLabel('Time slider');
    await slider.focus();
    await page.keyboard.press('Home');
    await eventually(() => Promise.resolve(param(page, 't'))).not.toBeNull();
    // fifteen minutes ago nothing ran yet
    await eventually(() => canvas(page).getAttribute('data-edges')).toBe('0');
    // the last minute with traffic: checkout is there, cart -> catalog is gone
    const options = await page.getByLabel('Moment B').locator('option').allTextContents();
    expect(options.length).toBeGreaterThanOrEqual(15);
    await page.getByRole('button', { name: 'Compare' }).click();
    await eventually(() => page.getByTestId('diff-summary').textContent()).toMatch(/\+2 added.*−1 removed/);
    const diff = page.getByTestId('diff-list');
    expect(await diff.locator('[data-state=added]').allTextContents()).toEqual([
      expect.stringContaining('frontend → checkout'),
      expect.stringContaining('checkout → mysql'),
    ]);
    expect(await diff.locator('[data-state=removed]').textContent()).toContain('cart → catalog');

    const same = await fresh(page.url());
    await eventually(() => same.getByTestId('diff-summary').textContent()).toMatch(/\+2 added.*−1 removed/);
    await same.close();
  });

  it('map: its URL reproduces group, selection, focus and frame', async () => {
    // two minutes before the shop's last minute: the replayed capture ran then
    const tl = Math.floor(shopNow / 60) * 60 - 120;
    const url = `${stack.web}/map?range=15m&sel=checkout&focus=checkout&t=${tl}`;
    const p = await fresh(url);
    await eventually(() => p.getByTestId('node-name').textContent()).toBe('checkout');
    expect(await p.getByTestId('focus').textContent()).toContain('checkout');
    await eventually(() => p.getByTestId('frame-label').textContent()).toMatch(/\d\d:\d\d \(\+1 min\)/);
    // that minute: frontend->cart, frontend->catalog, cart->redis, catalog->mysql, the two checkout edges, the capture's loop
    await eventually(() => p.locator('[data-testid=map-canvas]').getAttribute('data-edges')).toBe('7');
    await p.getByRole('link', { name: 'Flows' }).click();
    await p.waitForURL((u) => u.pathname === '/network');
    expect(param(p, 'node')).toBe('checkout');
    await eventually(() => p.getByTestId('edge-row').count()).toBe(2);
    await p.close();
  });

  it('map: plays minute by minute, and shows empty and error states', async () => {
    await page.goto(`${stack.web}/map?range=15m`);
    await canvas(page).waitFor();
    await page.getByRole('button', { name: 'Play' }).click();
    await eventually(() => Promise.resolve(param(page, 't'))).not.toBeNull();
    const first = Number(param(page, 't'));
    await eventually(() => Promise.resolve(Number(param(page, 't')))).toBeGreaterThanOrEqual(first + 120);
    await page.getByRole('button', { name: 'Pause' }).click();

    const old = shopNow - 3 * 86400;
    await page.goto(`${stack.web}/map?from=${old}&to=${old + 3600}`);
    await eventually(() => page.getByTestId('empty').textContent()).toContain('No traffic');
    await page.goto(`${stack.web}/network?range=15m&group=no_such_tag`);
    await eventually(() => page.getByTestId('error').textContent()).toMatch(
      /Could not load network edges.*no_such_tag/,
    );
  });

  it('network: L4 metrics per edge, filtered; an edge opens its chart and flow logs; the URL reproduces it', async () => {
    await page.goto(`${stack.web}/network?range=15m`);
    await eventually(() => page.getByTestId('edge-row').count()).toBeGreaterThanOrEqual(7);
    await page.getByLabel('Filter edges').fill('mysql');
    await eventually(() => page.getByTestId('edge-row').count()).toBe(2);
    await page.getByTestId('edge-row').filter({ hasText: 'catalog' }).click();
    await page.getByTestId('edge-chart').waitFor();
    expect(param(page, 'src')).toBe('catalog');
    expect(param(page, 'dst')).toBe('mysql');
    await eventually(() => page.getByTestId('flow-row').count()).toBe(10);
    expect(await page.getByTestId('flow-row').first().textContent()).toContain('10.42.0.51:3306');

    const p = await fresh(`${stack.web}/network?range=15m&src=frontend&dst=checkout&close=server_rst`);
    await eventually(() => p.getByTestId('flow-row').count()).toBe(1);
    expect(await p.getByTestId('flow-row').textContent()).toContain('server_rst');
    expect(await p.getByRole('button', { name: 'server rst' }).getAttribute('aria-pressed')).toBe('true');
    await p.close();
  });

  it('services: the list with RED, one service with its chart, dependencies and errors; the URL reproduces it', async () => {
    await page.goto(`${stack.web}/services?range=15m`);
    // five shop services that serve, frontend that only calls, and the capture's host
    await eventually(() => page.getByTestId('service-row').count()).toBe(7);
    await page.getByLabel('Filter services').fill('check');
    await eventually(() => page.getByTestId('service-row').count()).toBe(1);
    await page.getByTestId('service-row').click();
    await eventually(() => page.getByTestId('service-name').textContent()).toBe('checkout');
    await page.getByTestId('red-chart').waitFor();
    expect(await page.getByTestId('service-tiles').textContent()).toContain('25%');
    await page.getByRole('tab', { name: /errors/ }).click();
    await eventually(() => page.getByTestId('error-row').textContent()).toMatch(
      /503.*Service Unavailable.*8/,
    );
    expect(param(page, 'tab')).toBe('errors');

    const p = await fresh(`${stack.web}/services?range=15m&svc=checkout&tab=dependencies`);
    await eventually(() => p.getByTestId('upstream-row').textContent()).toContain('frontend');
    expect(await p.getByTestId('downstream-row').textContent()).toContain('mysql');
    await p.getByTestId('downstream-row').getByRole('button', { name: 'mysql' }).click();
    await eventually(() => p.getByTestId('service-name').textContent()).toBe('mysql');
    expect(param(p, 'svc')).toBe('mysql');
    await p.close();
  });

  it('resources: the inventory with tags, filtered by a tag, with details; the URL reproduces it', async () => {
    await page.goto(`${stack.web}/resources`);
    await eventually(() => page.getByRole('tab', { name: /Pods/ }).textContent()).toContain('7');
    await page.getByRole('tab', { name: /Pods/ }).click();
    await eventually(() => page.getByTestId('resource-row').count()).toBe(7);
    await page.getByLabel('Filter resources').fill('k8s.label.app=cart');
    await eventually(() => page.getByTestId('resource-row').count()).toBe(2);
    await page.getByTestId('resource-row').first().click();
    const panel = page.getByTestId('resource-panel');
    await eventually(() => panel.getByTestId('resource-tags').textContent()).toContain('k8s.label.appcart');
    expect(param(page, 'kind')).toBe('pod');

    const p = await fresh(page.url());
    await eventually(() => p.getByTestId('resource-panel').textContent()).toContain('cart-5d4b8');
    expect(await p.getByTestId('resource-row').count()).toBe(2);
    await p.getByTestId('resource-panel').getByRole('link', { name: 'On the map' }).click();
    await p.waitForURL((u) => u.pathname === '/map');
    expect(param(p, 'group')).toBe('instance');
    await eventually(() => p.getByTestId('node-name').textContent()).toMatch(/^cart-5d4b8-/);
    await p.close();
  });

  it('shell: themes switch by button and key, and g-shortcuts move between views', async () => {
    await page.goto(`${stack.web}/services?range=15m`);
    await page.getByTestId('service-row').first().waitFor();
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('theme').click(); // system -> light
    await page.getByTestId('theme').click(); // light -> dark
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await bg()).toBe('rgb(15, 17, 21)');
    await page.reload();
    await page.getByTestId('service-row').first().waitFor();
    expect(await bg()).toBe('rgb(15, 17, 21)');
    await page.locator('body').press('t'); // dark -> system (light here)
    await eventually(bg).toBe('rgb(247, 248, 250)');

    await page.locator('body').press('g');
    await page.locator('body').press('n');
    await page.waitForURL((u) => u.pathname === '/network');
    expect(param(page, 'range')).toBe('15m');

    // tables: ↓ moves between rows, Enter opens one
    await page.getByTestId('edge-row').first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await eventually(() => Promise.resolve(param(page, 'src'))).toBe('cart');
    await page.locator('body').press('g');
    await page.locator('body').press('r');
    await page.waitForURL((u) => u.pathname === '/requests');
    await page.getByTestId('request-row').first().focus();
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-index'));
    await page.keyboard.press('ArrowDown');
    await eventually(focused).toBe('1');
    await page.keyboard.press('ArrowDown');
    await eventually(focused).toBe('2');
    await page.keyboard.press('Enter');
    await eventually(() => Promise.resolve(param(page, 'sel'))).not.toBeNull();
  });
});
