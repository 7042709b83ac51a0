/**
 * Incident links end to end: in the request-log view (filter + selected record), Share
 * creates one link with a data snapshot and one without; the underlying rows then expire
 * (the API is stopped and flow_log.l7_flow_log is emptied in its chDB, then the API comes
 * back); the plain link reopens the frozen view with no data, the snapshot link still shows
 * the rows and the selected record, for a viewer too; a revoked link no longer opens.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTelemetryStore } from '@zeroscope/api/storage';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARGS, CHROMIUM, eventually } from './chromium';
import { SCENARIO, scenarioRecords, sendRequestLogs } from './ingest';
import { ensureWebBuilt, freePort, ROOT, type Stack, WEB_DIR } from './stack';

const BIN = join(ROOT, 'node_modules/.bin');
const summary = (page: Page) => page.getByTestId('summary');
const rows = (page: Page) => page.getByTestId('request-row');

async function waitForHttp(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(url, { redirect: 'manual' });
      if (r.status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  if (child.pid) process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

describe('incident links with snapshots', () => {
  let dataDir: string;
  let apiPort: number;
  let web: string;
  let api: ChildProcess | undefined;
  let next: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;
  const logs: string[] = [];
  const adminToken = `zsk_snap_${Math.random().toString(36).slice(2)}_admin`;
  const agentToken = `zsa_snap_${Math.random().toString(36).slice(2)}_agent`;
  let browser: Browser;
  let page: Page;

  const startApi = async () => {
    api = spawn(join(BIN, 'tsx'), ['apps/api/src/main.ts'], { cwd: ROOT, env, detached: true });
    api.stdout?.on('data', (d) => logs.push(String(d)));
    api.stderr?.on('data', (d) => logs.push(String(d)));
    await waitForHttp(`http://127.0.0.1:${apiPort}/healthz`, 90_000);
  };
  const trpc = async <T>(path: string, input: unknown): Promise<T> => {
    const res = await fetch(`http://127.0.0.1:${apiPort}/trpc/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    const body = (await res.json()) as { result?: { data: T }; error?: { message: string } };
    if (!body.result) throw new Error(body.error?.message);
    return body.result.data;
  };
  const login = async (p: Page, username: string, password: string) => {
    await p.goto(`${web}/login`);
    await p.getByLabel('Username').fill(username);
    await p.getByLabel('Password').fill(password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL((u) => !u.pathname.startsWith('/login'));
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    ensureWebBuilt();
    [apiPort] = [await freePort()];
    const webPort = await freePort();
    dataDir = mkdtempSync(join(tmpdir(), 'zs-snap-'));
    env = {
      ...process.env,
      ZEROSCOPE_API_PORT: String(apiPort),
      ZEROSCOPE_WEB_PORT: String(webPort),
      ZEROSCOPE_DATA_DIR: dataDir,
      ZEROSCOPE_ADMIN_TOKEN: adminToken,
      ZEROSCOPE_AGENT_TOKEN: agentToken,
      NEXT_TELEMETRY_DISABLED: '1',
    };
    await startApi();
    next = spawn(join(BIN, 'next'), ['start', '-p', String(webPort)], { cwd: WEB_DIR, env, detached: true });
    next.stdout?.on('data', (d) => logs.push(String(d)));
    next.stderr?.on('data', (d) => logs.push(String(d)));
    web = `http://127.0.0.1:${webPort}`;
    await waitForHttp(`${web}/login`, 60_000);
    await sendRequestLogs({ apiPort, agentToken } as Stack, scenarioRecords(Date.now() * 1000));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(30_000);
  });

  afterAll(async () => {
    await browser?.close();
    await stop(next);
    await stop(api);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  let withSnapshot: string;
  let withoutSnapshot: string;
  let selected: string;

  it('shares the request view with its filter and selection, with and without a snapshot', async () => {
    await login(page, 'admin', readFileSync(join(dataDir, 'admin-password.txt'), 'utf8').trim());
    await page.goto(`${web}/requests?range=1h`);
    await page.getByRole('button', { name: 'server error', exact: true }).click();
    await eventually(() => summary(page).textContent()).toBe(
      `1–${SCENARIO.serverErrors} of ${SCENARIO.serverErrors} requests`,
    );
    await rows(page).nth(1).click();
    const drawer = page.getByTestId('drawer');
    selected = (await drawer.locator('[data-field=request_resource] dd').textContent()) ?? '';
    expect(selected).not.toBe('');

    await page.getByTestId('share-button').click();
    await page.getByLabel('Title').fill('checkout 503s');
    await page.getByTestId('share-create').click();
    withSnapshot = await (await page.getByTestId('share-url').elementHandle())!.inputValue();
    expect(withSnapshot).toMatch(/\/s\/[A-Za-z0-9]{12}$/);

    await page.getByLabel('Keep a snapshot of the data (survives retention)').uncheck();
    await page.getByTestId('share-create').click();
    await eventually(async () => page.getByTestId('share-url').inputValue()).not.toBe(withSnapshot);
    withoutSnapshot = await page.getByTestId('share-url').inputValue();
  });

  it('the data expires from ClickHouse', async () => {
    await stop(api);
    const store = await openTelemetryStore({ dataDir, clickhouseUrl: undefined } as Parameters<
      typeof openTelemetryStore
    >[0]);
    try {
      await store.command('TRUNCATE TABLE flow_log.l7_flow_log');
      const [left] = await store.query<{ n: string }>('SELECT count() AS n FROM flow_log.l7_flow_log');
      expect(Number(left!.n)).toBe(0);
    } finally {
      await store.close();
    }
    await startApi();
  });

  it('a link without a snapshot reopens the frozen view, now empty', async () => {
    await page.goto(withoutSnapshot);
    await page.waitForURL(/\/requests\?.*from=\d+.*to=\d+/);
    const url = new URL(page.url());
    expect(url.searchParams.get('range')).toBeNull();
    expect(url.searchParams.get('status')).toBe('server_error');
    expect(url.searchParams.get('snap')).toBeNull();
    await eventually(() => summary(page).textContent()).toBe('No requests');
  });

  it('a snapshot link still shows the rows and the selected record, also to a viewer', async () => {
    await page.goto(withSnapshot);
    await page.waitForURL(/\/requests\?.*snap=/);
    await eventually(() => summary(page).textContent()).toBe(
      `1–${SCENARIO.serverErrors} of ${SCENARIO.serverErrors} requests`,
    );
    await eventually(() => page.getByTestId('frozen-banner').textContent()).toContain(
      withSnapshot.split('/').at(-1),
    );
    await eventually(() =>
      page.getByTestId('drawer').locator('[data-field=request_resource] dd').textContent(),
    ).toBe(selected);
    // the same frozen view without the snapshot: the rows are gone from ClickHouse
    await page.getByRole('link', { name: 'same view, live data' }).click();
    await eventually(() => summary(page).textContent()).toBe('No requests');
    expect(new URL(page.url()).searchParams.get('snap')).toBeNull();

    await trpc('users.create', { username: 'vera', password: 'viewer-password', role: 'viewer' });
    const viewer = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await login(viewer, 'vera', 'viewer-password');
      await viewer.goto(withSnapshot);
      await eventually(() => summary(viewer).textContent()).toBe(
        `1–${SCENARIO.serverErrors} of ${SCENARIO.serverErrors} requests`,
      );
      const texts = await rows(viewer).allTextContents();
      expect(texts.some((t) => t.includes('/shop/checkout'))).toBe(true);
    } finally {
      await viewer.close();
    }
  });

  it('a revoked link no longer opens', async () => {
    const id = withSnapshot.split('/').at(-1)!;
    await trpc('links.revoke', { id });
    await page.goto(withSnapshot);
    await eventually(() => page.getByTestId('link-error').textContent()).toMatch(/revoked/);
  });
});
