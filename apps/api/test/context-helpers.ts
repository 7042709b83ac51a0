/**
 * The API's parts in-process for tests: a fresh data dir with embedded chDB and SQLite, real
 * auth seeded with the test tokens, and an HTTP server over a Router on an ephemeral port.
 */
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuth } from '../src/auth/auth';
import type { ApiContext } from '../src/context';
import { readEnv } from '../src/env';
import { type Router, sendJson } from '../src/http/router';
import { openResourceStore } from '../src/resources/store';
import { openTelemetryStore } from '../src/storage/telemetry';
import { ADMIN_TOKEN, AGENT_TOKEN } from './link-helpers';

export async function openTestContext(prefix: string): Promise<{ dir: string; ctx: ApiContext }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const env = readEnv({
    ZEROSCOPE_DATA_DIR: dir,
    ZEROSCOPE_ADMIN_TOKEN: ADMIN_TOKEN,
    ZEROSCOPE_AGENT_TOKEN: AGENT_TOKEN,
  });
  const resources = await openResourceStore(env);
  const telemetry = await openTelemetryStore(env);
  const auth = await createAuth(resources, env, { log: () => {} });
  return { dir, ctx: { env, telemetry, resources, auth } };
}

/** An HTTP server answering 404 for what the router does not know. */
export function routerServer(router: Router): http.Server {
  return http.createServer((req, res) => {
    void router.handle(req, res).then((handled) => {
      if (!handled) sendJson(res, 404, { error: 'not_found' });
    });
  });
}

export async function listenLocal(server: http.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}
