/**
 * Issue 6's end-to-end check, nothing simulated (needs root for eBPF): a real process with a
 * label-like env var serves HTTP; the real agent (`cli.ts run`) discovers it and captures
 * its traffic; the in-process API records the process, enriches the request logs with its
 * tag ids and syncs the dictionaries; POST /v1/query then finds the requests by
 * `auto_service`, by process name and by the custom tag, and its RED metrics by `auto_service`.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../src/auth/auth';
import type { ApiContext } from '../src/context';
import { createResourceController, type ResourceController } from '../src/controller/controller';
import { readEnv } from '../src/env';
import { Router, sendJson } from '../src/http/router';
import { type AgentLink, attachAgentLink } from '../src/ingest/link';
import { registerQueryRoutes } from '../src/query/http';
import { openResourceStore } from '../src/resources/store';
import { openTelemetryStore } from '../src/storage/telemetry';
import { ADMIN_TOKEN, AGENT_TOKEN, freePort, REPO_ROOT, waitFor } from './link-helpers';
import { postQuery } from './query-helpers';

const isRoot = process.getuid?.() === 0;
const tag = randomBytes(3).toString('hex');
/** comm of the service (<= 15 bytes): exec through a symlink of that name */
const COMM = `zsvc-${tag}`;
const SERVICE = `checkout-${tag}`;
const TEAM = `payments-${tag}`;

describe.skipIf(!isRoot)('a real process found by its tags (eBPF agent -> API -> query)', () => {
  let dir: string;
  let ctx: ApiContext;
  let server: http.Server;
  let link: AgentLink;
  let ctl: ResourceController;
  let base: string;
  let svc: ChildProcess;
  let svcPort: number;
  let agent: ChildProcess;
  let agentLog = '';

  beforeAll(async () => {
    const t0 = Date.now();
    dir = mkdtempSync(join(tmpdir(), 'zs-ctl-e2e-'));
    const env = readEnv({
      ZEROSCOPE_DATA_DIR: dir,
      ZEROSCOPE_ADMIN_TOKEN: ADMIN_TOKEN,
      ZEROSCOPE_AGENT_TOKEN: AGENT_TOKEN,
    });
    const resources = await openResourceStore(env);
    const telemetry = await openTelemetryStore(env);
    const auth = await createAuth(resources, env, { log: () => {} });
    ctx = { env, telemetry, resources, auth };
    const router = new Router();
    registerQueryRoutes(router, ctx);
    server = http.createServer((req, res) => {
      void router.handle(req, res).then((handled) => {
        if (!handled) sendJson(res, 404, { error: 'not_found' });
      });
    });
    ctl = createResourceController({ db: resources.db, telemetry, syncIntervalMs: 250, log: () => {} });
    link = attachAgentLink(server, ctx, { controller: ctl, insertLingerMs: 100, insertMinRows: 1 });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const apiPort = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${apiPort}`;

    // The service: node under its own name, with a custom tag and a service name in its env.
    const exe = join(dir, COMM);
    symlinkSync(process.execPath, exe);
    svcPort = await freePort();
    svc = spawn(
      exe,
      [
        '-e',
        `require('http').createServer((q, s) => s.end('ok ' + q.url)).listen(${svcPort}, '127.0.0.1', () => console.log('up'))`,
      ],
      {
        env: { PATH: process.env.PATH, ZEROSCOPE_TAG_team: TEAM, OTEL_SERVICE_NAME: SERVICE },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      svc.stdout!.once('data', () => resolve());
      svc.once('exit', (code) => reject(new Error(`service exited with ${code}`)));
    });

    agent = spawn(
      join(REPO_ROOT, 'node_modules/.bin/tsx'),
      ['apps/agent/src/cli.ts', 'run', '--server', `ws://127.0.0.1:${apiPort}`, '--token', AGENT_TOKEN],
      { cwd: REPO_ROOT, detached: true },
    );
    agent.stdout?.on('data', (c) => (agentLog += c));
    agent.stderr?.on('data', (c) => (agentLog += c));
    try {
      // the agent's first full report names the service process: its tag ids are known
      await waitFor(
        () => [...ctl.index().agents.values()].some((a) => a.byPid.has(svc.pid!)),
        30_000,
        'the service process recorded',
      );
      await waitFor(() => /ebpf capture running/.test(agentLog), 20_000, 'eBPF capture running');
    } catch (e) {
      throw new Error(`${(e as Error).message}; agent output:\n${agentLog}`);
    }
    console.log(`e2e: API, service and agent ready after ${Date.now() - t0} ms`);
  }, 60_000);

  afterAll(async () => {
    const t0 = Date.now();
    if (agent?.pid && agent.exitCode === null) {
      process.kill(-agent.pid, 'SIGTERM');
      await new Promise((r) => agent.once('exit', r));
    }
    svc?.kill('SIGTERM');
    await link?.close();
    await ctl?.close();
    server?.close();
    await ctx?.telemetry.close();
    await ctx?.resources.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    console.log(`e2e: teardown took ${Date.now() - t0} ms`);
  });

  it('finds its request logs (and metrics) by auto_service, process name and custom tag', {
    timeout: 45_000,
  }, async () => {
    const marker = `/e2e-${tag}`;
    const range = () => ({
      start: Math.floor(Date.now() / 1000) - 120,
      end: Math.floor(Date.now() / 1000) + 60,
    });
    const endpoints = async (where: string) => {
      const r = await postQuery(base, {
        sql: `SELECT endpoint, auto_service_1, auto_instance_1, gprocess_1 FROM l7_flow_log WHERE ${where} AND endpoint = '${marker}' LIMIT 100`,
        ...range(),
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.values ?? [];
    };
    const deadline = Date.now() + 30_000;
    let rows: unknown[][] = [];
    while (Date.now() < deadline) {
      execFileSync('curl', ['-s', '-o', '/dev/null', `http://127.0.0.1:${svcPort}${marker}`]);
      rows = await endpoints(`auto_service = '${SERVICE}'`);
      if (rows.length > 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    console.log(
      `e2e: request logs found by auto_service ${Date.now() - deadline + 30_000} ms after the first curl`,
    );
    expect(rows.length, `no request log by auto_service; agent output:\n${agentLog}`).toBeGreaterThan(0);
    expect(rows[0]).toEqual([marker, SERVICE, SERVICE, SERVICE]);
    expect((await endpoints(`process_kname_1 = '${COMM}'`)).length).toBeGreaterThan(0);
    expect((await endpoints(`os.env.ZEROSCOPE_TAG_team = '${TEAM}'`)).length).toBeGreaterThan(0);
    // the agent's RED metrics of the same traffic carry the service's tag ids too
    let requests = 0;
    while (Date.now() < deadline + 10_000 && requests === 0) {
      const m = await postQuery(base, {
        sql: `SELECT request FROM application.1s WHERE auto_service = '${SERVICE}' AND server_port = ${svcPort}`,
        ...range(),
      });
      expect(m.status, JSON.stringify(m.body)).toBe(200);
      requests = Number(m.body.values?.[0]?.[0] ?? 0);
      if (requests === 0) await new Promise((r) => setTimeout(r, 500));
    }
    expect(requests).toBeGreaterThan(0);
    // and nothing else carries the tag
    const other = await postQuery(base, {
      sql: `SELECT Count(row) FROM l7_flow_log WHERE os.env.ZEROSCOPE_TAG_team = '${TEAM}' AND endpoint != '${marker}'`,
      ...range(),
    });
    expect(other.body.values).toEqual([[0]]);
  });
});
