/**
 * Screenshots of every view with the shop scenario (shop.ts), a profiled spinner (as root)
 * and a large trace, for the README: `npx tsx apps/web/test/browser/screenshots.ts [--serve]`
 * (after `next build`). Writes docs/screenshots/<view>.png; `--serve` keeps the stack up and
 * prints the URL and password.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { BIG_TRACE_ID, bigTrace } from './big-trace';
import { ARGS, CHROMIUM } from './chromium';
import { sendRequestLogs } from './ingest';
import { ingestProfile } from './profile-data';
import { ingestShop } from './shop';
import { ROOT, startStack } from './stack';

const OUT = join(ROOT, 'docs/screenshots');

async function shot(page: Page, url: string, name: string, ready: (p: Page) => Promise<unknown>) {
  await page.goto(url);
  await ready(page);
  await page.waitForTimeout(1200);
  await page.screenshot({ path: join(OUT, `${name}.png`), type: 'png' });
  console.log(`wrote docs/screenshots/${name}.png`);
}

const stack = await startStack();
try {
  await ingestShop(stack);
  await sendRequestLogs(stack, bigTrace(Date.now() * 1000));
  const profiled = process.getuid?.() === 0 ? await ingestProfile(stack) : undefined;
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const page = await browser.newPage({ viewport: { width: 1360, height: 780 } });
  await page.goto(`${stack.web}/login?next=/map`);
  await page.getByLabel('Password').fill(stack.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/map');
  const w = stack.web;
  await shot(page, `${w}/map?range=15m&sel=catalog`, 'map', (p) =>
    p.locator('[data-testid=map-canvas][data-rendered=true]').waitFor(),
  );
  const tl = `${w}/map?range=15m`;
  await page.goto(tl);
  await page.getByTestId('time-slider').getByRole('button', { name: 'Compare' }).click();
  await page.getByTestId('diff-summary').waitFor();
  await page.waitForTimeout(1200);
  await page.screenshot({ path: join(OUT, 'map-diff.png') });
  console.log('wrote docs/screenshots/map-diff.png');
  await shot(page, `${w}/network?range=15m&src=catalog&dst=mysql`, 'network', (p) =>
    p.getByTestId('edge-chart').waitFor(),
  );
  await shot(page, `${w}/services?range=15m&svc=checkout&tab=errors`, 'services', (p) =>
    p.getByTestId('red-chart').waitFor(),
  );
  await shot(page, `${w}/requests?range=15m`, 'requests', (p) =>
    p.getByTestId('request-row').first().waitFor(),
  );
  await shot(page, `${w}/traces?trace=${BIG_TRACE_ID}`, 'traces', (p) =>
    p.getByTestId('span-row').first().waitFor(),
  );
  if (profiled)
    await shot(page, `${w}/profiles?range=15m&pid=${profiled.pid}`, 'profiles', (p) =>
      p.getByTestId('function-table').locator('tbody tr').first().waitFor(),
    );
  await shot(page, `${w}/alerts?tab=templates`, 'alerts', (p) => p.getByRole('main').waitFor());
  await page.evaluate(() => localStorage.setItem('zs-theme', 'dark'));
  await shot(page, `${w}/resources?kind=pod&sel=1`, 'resources', (p) =>
    p.getByTestId('resource-panel').waitFor(),
  );
  await page.evaluate(() => localStorage.removeItem('zs-theme'));
  await browser.close();
  if (process.argv.includes('--serve')) {
    console.log(`serving ${stack.web} (password ${stack.adminPassword}); Ctrl-C stops`);
    await new Promise<void>((r) => process.once('SIGINT', () => r()));
  }
} finally {
  await stack.stop();
}
