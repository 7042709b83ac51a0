/**
 * Issue 2's first-page promise, with nothing simulated: the real agent (eBPF, as root) sees a
 * curl to a local HTTP server, ships it to the real API, and the request-log page shows it.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARGS, CHROMIUM } from './chromium';
import { freePort, ROOT, type Stack, startStack } from './stack';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;

async function waitUntil(ok: () => boolean, ms: number, why: () => string): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out; agent output:\n${why()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!isRoot)('live capture to the request-log page (needs root for eBPF)', () => {
  let stack: Stack;
  let agent: ChildProcess;
  let agentLog = '';
  let server: http.Server;
  let port: number;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack();
    agent = spawn(
      join(ROOT, 'node_modules/.bin/tsx'),
      [
        'apps/agent/src/cli.ts',
        'run',
        '--server',
        `ws://127.0.0.1:${stack.apiPort}`,
        '--token',
        stack.agentToken,
      ],
      { cwd: ROOT, detached: true },
    );
    agent.stdout?.on('data', (c) => (agentLog += c));
    agent.stderr?.on('data', (c) => (agentLog += c));
    await waitUntil(
      // the link may come up before the kernel programs are attached: wait for both
      () => /connected to .* as agent/.test(agentLog) && /ebpf capture running/.test(agentLog),
      60_000,
      () => agentLog,
    );
    port = await freePort();
    server = http.createServer((req, res) => res.end(`hello ${req.url}`));
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${stack.web}/login?next=${encodeURIComponent('/requests?range=5m')}`);
    await page.getByLabel('Password').fill(stack.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/requests/);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (agent?.pid && agent.exitCode === null) process.kill(-agent.pid, 'SIGTERM');
    await stack?.stop();
  });

  it('shows a curl request captured by the agent within seconds', { timeout: 120_000 }, async () => {
    expect(existsSync('/usr/bin/curl')).toBe(true);
    const marker = `/live-${Date.now().toString(36)}`;
    // async: the server answering curl lives in this process, so a sync spawn would deadlock
    await run('curl', ['-s', '--max-time', '10', '-o', '/dev/null', `http://127.0.0.1:${port}${marker}?q=1`]);
    const sent = Date.now();
    const storedRows = () =>
      fetch(`http://127.0.0.1:${stack.apiPort}/v1/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          sql: `SELECT request_resource, observation_point FROM l7_flow_log WHERE request_resource LIKE '%${marker}%' LIMIT 20`,
          start: Math.floor(sent / 1000) - 300,
          end: Math.floor(Date.now() / 1000) + 60,
        }),
      }).then((r) => r.text());
    let storedMs = -1;
    await page.goto(`${stack.web}/requests?range=5m&q=${encodeURIComponent(marker)}`);
    // the page re-queries on reload; poll until the row lands (target: within 5 s of the curl)
    await expect
      .poll(
        async () => {
          if (storedMs < 0 && (await storedRows()).includes(marker)) storedMs = Date.now() - sent;
          await page.reload();
          // let the page's query finish (rows or the empty state) before looking, else each
          // reload would cancel the previous one's query under load
          await page
            .locator('[data-testid=request-row], [data-testid=empty]')
            .first()
            .waitFor({ timeout: 15_000 })
            .catch(() => {});
          return page.getByTestId('request-row').allTextContents();
        },
        { timeout: 70_000, interval: 500 },
      )
      .toEqual(expect.arrayContaining([expect.stringContaining(marker)]))
      .catch(async (e: Error) => {
        const why = `stored after ${storedMs} ms (-1: never); rows: ${await storedRows()}`;
        throw new Error(`${e.message}\n${why}\nagent output (tail):\n${agentLog.slice(-3000)}`);
      });
    const latencyMs = Date.now() - sent;
    process.stdout.write(
      `live capture: curl stored after ${storedMs} ms, visible in the UI after ${latencyMs} ms\n`,
    );
    const rows = await page.getByTestId('request-row').allTextContents();
    // both ends were seen: curl's client side and the server process's side
    expect(rows.filter((r) => r.includes(marker)).length).toBeGreaterThanOrEqual(2);
  });
});
