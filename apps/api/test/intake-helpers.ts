/**
 * The API in-process for the intake tests: real auth (SQLite), embedded chDB, the agent link,
 * and the intake routes (OTLP, remote write, Influx, /prom, /api/traces) on an ephemeral port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuth } from '../src/auth/auth';
import type { ApiContext } from '../src/context';
import { readEnv } from '../src/env';
import { Router, sendJson } from '../src/http/router';
import { attachAgentLink } from '../src/ingest/link';
import type { IntakeLimits } from '../src/intake/intake';
import { registerIntakeRoutes } from '../src/intake/routes';
import { openResourceStore } from '../src/resources/store';
import { openTelemetryStore } from '../src/storage/telemetry';
import { ADMIN_TOKEN, AGENT_TOKEN } from './link-helpers';

export { ADMIN_TOKEN, AGENT_TOKEN };

export interface IntakeApi {
  ctx: ApiContext;
  base: string;
  port: number;
  routes: ReturnType<typeof registerIntakeRoutes>;
  /** an ingest-scoped token and a read-scoped token */
  ingestToken: string;
  readToken: string;
  close(): Promise<void>;
}

export async function startIntakeApi(limits?: IntakeLimits): Promise<IntakeApi> {
  const dir = mkdtempSync(join(tmpdir(), 'zs-intake-'));
  const env = readEnv({
    ZEROSCOPE_DATA_DIR: dir,
    ZEROSCOPE_ADMIN_TOKEN: ADMIN_TOKEN,
    ZEROSCOPE_AGENT_TOKEN: AGENT_TOKEN,
  });
  const resources = await openResourceStore(env);
  const telemetry = await openTelemetryStore(env);
  const auth = await createAuth(resources, env, { log: () => {} });
  const ctx: ApiContext = { env, telemetry, resources, auth } as ApiContext;
  const router = new Router();
  const routes = registerIntakeRoutes(router, ctx, { limits });
  const server = http.createServer((req, res) => {
    void router.handle(req, res).then((handled) => {
      if (!handled) sendJson(res, 404, { error: 'not_found' });
    });
  });
  const link = attachAgentLink(server, ctx);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const ingestToken = (await auth.createToken({ name: 'intake-test', scope: 'ingest', role: 'editor' }))
    .token;
  const readToken = (await auth.createToken({ name: 'read-test', scope: 'read', role: 'viewer' })).token;
  return {
    ctx,
    base: `http://127.0.0.1:${port}`,
    port,
    routes,
    ingestToken,
    readToken,
    async close() {
      await link.close();
      server.closeAllConnections();
      server.close();
      await telemetry.close();
      await resources.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** GET a /prom API path with the read token; the parsed JSON body and status. */
// biome-ignore lint/suspicious/noExplicitAny: test reads of Prometheus API JSON
export async function prom(api: IntakeApi, path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${api.base}/prom/api/v1/${path}`, {
    headers: { authorization: `Bearer ${api.readToken}` },
  });
  return { status: res.status, body: await res.json() };
}
