/**
 * The alerts UI end to end: a webhook channel, a rule from a template adjusted in the editor
 * while its live preview shows which series breach, the real evaluator (200 ms) firing it to
 * a local webhook receiver, then the Firing, History and Silences tabs and the YAML export.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARGS, CHROMIUM, eventually } from './chromium';
import { ingestScenario, SCENARIO } from './ingest';
import { type Stack, startStack } from './stack';

describe('alerts view', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let receiver: http.Server;
  const hooks: { status: string; rule: { name: string } }[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        hooks.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    process.env.ZEROSCOPE_ALERT_INTERVAL_MS = '200';
    try {
      stack = await startStack();
    } finally {
      delete process.env.ZEROSCOPE_ALERT_INTERVAL_MS;
    }
    await ingestScenario(stack);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(30_000);
    await page.goto(`${stack.web}/login`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(stack.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    receiver?.closeAllConnections();
    await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  });

  it('adds a webhook channel', async () => {
    await page.goto(`${stack.web}/alerts?tab=channels`);
    await page.getByLabel('Name').fill('ops');
    await page.getByLabel('URL').fill(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`);
    await page.getByRole('button', { name: 'Add channel' }).click();
    await eventually(() => page.getByTestId('channels').textContent()).toContain('ops');
  });

  it('creates a rule from a template, with a live preview of its query', async () => {
    await page.getByRole('tab', { name: 'Templates' }).click();
    const row = page.getByTestId('templates').locator('tr', { hasText: 'HTTP 5xx burst' });
    await row.getByRole('button', { name: 'Use' }).click();
    await eventually(() => page.getByTestId('rule-name').inputValue()).toBe('HTTP 5xx burst');
    // with the template's threshold (50) nothing breaches; with 1 the 503s do
    await eventually(() => page.getByTestId('preview-summary').textContent()).toMatch(
      /^1 series, 0 would > 50/,
    );
    await page.getByTestId('rule-threshold').fill('1');
    await page.getByLabel('For (s)').fill('0');
    await page.getByLabel('Window (s)').fill('900');
    await eventually(() => page.getByTestId('preview-summary').textContent()).toMatch(
      /^1 series, 1 would > 1/,
    );
    await page.getByLabel('ops').check();
    await page.getByTestId('rule-save').click();
    await eventually(() => page.getByTestId('rules').textContent()).toContain('HTTP 5xx burst');
  });

  it('fires: the webhook gets it, the Firing and History tabs show it', async () => {
    await eventually(() =>
      Promise.resolve(hooks.some((h) => h.status === 'firing' && h.rule.name === 'HTTP 5xx burst')),
    ).toBe(true);
    await page.getByRole('tab', { name: 'Firing' }).click();
    await eventually(() => page.getByTestId('alert-states').textContent()).toContain('firing');
    await page.getByRole('tab', { name: 'History' }).click();
    await eventually(() => page.getByTestId('alert-history').textContent()).toContain('notified');
    expect(SCENARIO.serverErrors).toBeGreaterThan(1);
  });

  it('adds a silence and exports the rules as YAML', async () => {
    await page.getByRole('tab', { name: 'Silences' }).click();
    await page.getByTestId('silence-matchers').fill('auto_service_1=~.*');
    await page.getByRole('button', { name: 'Silence', exact: true }).click();
    await eventually(() => page.getByTestId('silences').textContent()).toContain('auto_service_1=~.*');

    await page.getByRole('tab', { name: 'Rules' }).click();
    await page.getByRole('button', { name: 'YAML import / export' }).click();
    await eventually(() => page.getByLabel('Exported rules').inputValue()).toContain('name: HTTP 5xx burst');
    expect(await page.getByLabel('Exported rules').inputValue()).toContain('- ops');
  });

  it('settings: an admin adds a viewer and a read token, and the audit log shows every change', async () => {
    await page.goto(`${stack.web}/settings?tab=users`);
    await page.getByLabel('Username').fill('vic');
    await page.getByLabel('Password (8+)').fill('viewer-password');
    await page.getByRole('button', { name: 'Add user' }).click();
    await eventually(() => page.getByTestId('users').textContent()).toContain('vic');

    await page.getByRole('tab', { name: 'API tokens' }).click();
    // the tab lives in the URL: type only once the view has switched, or the input remounts
    await page.waitForURL(/[?&]tab=tokens/);
    await page.getByTestId('tokens').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('grafana');
    await page.getByRole('button', { name: 'Create token', disabled: false }).click();
    const token = (await page.getByTestId('new-token').textContent()) ?? '';
    expect(token).toMatch(/^zsr_/);
    // the read token may query but not change anything
    const api = `http://127.0.0.1:${stack.apiPort}`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    expect((await fetch(`${api}/trpc/alerts.listRules`, { headers })).status).toBe(200);
    const write = await fetch(`${api}/trpc/alerts.deleteRule`, { method: 'POST', headers, body: '{"id":1}' });
    expect(write.status).toBe(403);

    await page.getByRole('tab', { name: 'Audit log' }).click();
    const audit = page.getByTestId('audit');
    for (const action of [
      'alert.channel.create',
      'alert.rule.create',
      'alert.silence.create',
      'user.create',
      'token.create',
    ])
      await eventually(() => audit.textContent()).toContain(action);
  });
});
