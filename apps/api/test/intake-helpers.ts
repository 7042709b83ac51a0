/**
 * The API in-process for the intake tests: real auth (SQLite), embedded chDB, the agent link,
 * and the intake routes (OTLP, remote write, Influx, /prom, /api/traces) on an ephemeral port.
 */
import { rmSync } from 'node:fs';
import type { ApiContext } from '../src/context';
import { Router } from '../src/http/router';
import { attachAgentLink } from '../src/ingest/link';
import type { IntakeLimits } from '../src/intake/intake';
import { registerIntakeRoutes } from '../src/intake/routes';
import { listenLocal, openTestContext, routerServer } from './context-helpers';
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
  const { dir, ctx } = await openTestContext('zs-intake-');
  const { auth, telemetry, resources } = ctx;
  const router = new Router();
  const routes = registerIntakeRoutes(router, ctx, { limits });
  const server = routerServer(router);
  const link = attachAgentLink(server, ctx);
  const port = await listenLocal(server);
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
