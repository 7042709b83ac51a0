/** API entry: open the stores, seed access, serve HTTP + tRPC + the agent WebSocket. */
import http from 'node:http';
import { startAlerting } from './alerting/start';
import { registerAdminRoutes } from './auth/admin-routes';
import { createAuth } from './auth/auth';
import { registerAuthRoutes } from './auth/routes';
import type { ApiContext } from './context';
import { readEnv } from './env';
import { Router, sendJson } from './http/router';
import { attachAgentLink } from './ingest/link';
import { registerIntakeRoutes } from './intake/routes';
import { registerProfileRoutes } from './profile/http';
import { registerQueryRoutes } from './query/http';
import { openResourceStore } from './resources/store';
import { startRetentionGuard } from './storage/retention';
import { openTelemetryStore } from './storage/telemetry';
import { registerTrpc } from './trpc/http';

async function main(): Promise<void> {
  const env = readEnv();
  const resources = await openResourceStore(env);
  const telemetry = await openTelemetryStore(env);
  startRetentionGuard(telemetry, {
    cluster: env.clickhouseCluster,
    log: (l) => process.stderr.write(`${l}\n`),
  });
  const auth = await createAuth(resources, env);
  const ctx: ApiContext = { env, telemetry, resources, auth };

  const router = new Router();
  router.on('GET', '/healthz', (_req, res) => sendJson(res, 200, { status: 'ok' }));
  registerAuthRoutes(router, ctx);
  registerAdminRoutes(router, ctx);
  registerTrpc(router, ctx);
  registerQueryRoutes(router, ctx);
  registerIntakeRoutes(router, ctx);
  registerProfileRoutes(router, ctx);

  const server = http.createServer((req, res) => {
    void router.handle(req, res).then((handled) => {
      if (!handled)
        sendJson(res, 404, { error: 'not_found', message: `no route for ${req.method} ${req.url}` });
    });
  });
  const link = attachAgentLink(server, ctx);

  await new Promise<void>((resolve) => server.listen(env.apiPort, resolve));
  process.stdout.write(`zeroscope api listening on http://localhost:${env.apiPort}\n`);
  ctx.alerts = startAlerting(ctx);

  const stop = async () => {
    server.close();
    await ctx.alerts?.stop();
    await link.close();
    await telemetry.close();
    await resources.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(
    `zeroscope api failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
