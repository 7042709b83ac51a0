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
    let curls = 0;
    const curl = async () => {
      curls++;
      await run('curl', [
        '-s',
        '--max-time',
        '10',
        '-o',
        '/dev/null',
        `http://127.0.0.1:${port}${marker}?q=1`,
      ]);
    };
    await curl();
    const sent = Date.now();
    await page.goto(`${stack.web}/requests?range=5m&q=${encodeURIComponent(marker)}`);
    // the page re-queries on reload; poll until the row lands (target: within 5 s of the curl)
    await expect
      .poll(
        async () => {
          // under the whole suite's load a request can be lost on the way (ring buffer full):
          // repeat the same request every few polls, and report how many it took
          if (Date.now() - sent > curls * 5000) await curl();
          await page.reload();
          return page.getByTestId('request-row').allTextContents();
        },
        { timeout: 70_000, interval: 500 },
      )
      .toEqual(expect.arrayContaining([expect.stringContaining(marker)]))
      .catch(async (e: Error) => {
        // where it got lost: stored (then the page is at fault) or not (capture or link)
        const stored = await fetch(`http://127.0.0.1:${stack.apiPort}/v1/query`, {
          method: 'POST',
          headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            sql: `SELECT request_resource, observation_point, process_kname_0, process_kname_1 FROM l7_flow_log WHERE request_resource LIKE '%${marker.slice(1)}%' LIMIT 20`,
            start: Math.floor(sent / 1000) - 300,
            end: Math.floor(Date.now() / 1000) + 60,
          }),
        }).then((r) => r.text());
        throw new Error(
          `${e.message}\nstored rows: ${stored}\nagent output (tail):\n${agentLog.slice(-3000)}`,
        );
      });
    const latencyMs = Date.now() - sent;
    process.stdout.write(
      `live capture: curl visible in the UI after ${latencyMs} ms (${curls} request(s) sent)\n`,
    );
    const rows = await page.getByTestId('request-row').allTextContents();
    // both ends were seen: curl's client side and the server process's side
    expect(rows.filter((r) => r.includes(marker)).length).toBeGreaterThanOrEqual(2);
  });
});
