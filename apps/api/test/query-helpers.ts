/**
 * The API in-process for the query tests: real auth (SQLite), embedded chDB, the agent link
 * for ingest, tRPC and POST /v1/query, plus a small cluster whose request logs an agent
 * Sender streams in and whose names are loaded into the flow_tag dictionaries.
 */
import { rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sender } from '@zeroscope/agent/sender';
import { AUTO_TYPE } from '@zeroscope/tags';
import { emptyRequestLog, type RequestLog } from '@zeroscope/wire/records';
import type { ApiContext } from '../src/context';
import { Router } from '../src/http/router';
import { attachAgentLink } from '../src/ingest/link';
import { registerQueryRoutes } from '../src/query/http';
import type { QueryLimits } from '../src/query/limits';
import type { QueryService } from '../src/query/service';
import { registerTrpc } from '../src/trpc/http';
import { openTestContext, routerServer } from './context-helpers';
import { ADMIN_TOKEN, AGENT_TOKEN, waitFor } from './link-helpers';

export { ADMIN_TOKEN, AGENT_TOKEN };

export const NOW_S = Math.floor(Date.now() / 1000);
/** The query window: the last 10 minutes. */
export const RANGE = { start: NOW_S - 600, end: NOW_S + 60 };

export const PODS: [number, string][] = [
  [1, 'frontend-7d9'],
  [2, 'cart-5c1'],
  [3, 'cart-5c2'],
  [4, 'db-0'],
];
export const SERVICES: [number, string][] = [
  [1, 'frontend'],
  [2, 'cart'],
  [3, 'db'],
];
const SERVICE_OF_POD: Record<number, number> = { 1: 1, 2: 2, 3: 2, 4: 3 };

/** Client pod -> server pod calls with endpoints and outcomes; deterministic. */
export function cluster(n: number): RequestLog[] {
  const t0 = (NOW_S - 300) * 1_000_000;
  const edges = [
    [1, 2],
    [1, 3],
    [2, 4],
    [3, 4],
  ] as const;
  return Array.from({ length: n }, (_, i) => {
    const [c, s] = edges[i % edges.length]!;
    const err = i % 10 === 0;
    return {
      ...emptyRequestLog(),
      start_time: t0 + i * 1000,
      end_time: t0 + i * 1000 + 100 + (i % 7) * 10,
      response_duration: 100 + (i % 7) * 10,
      l7_protocol: s === 4 ? 'mysql' : 'http1',
      request_type: s === 4 ? 'QUERY' : 'GET',
      endpoint: s === 4 ? '' : `/api/${i % 3}`,
      request_resource: s === 4 ? 'SELECT 1' : `/api/${i % 3}?i=${i}`,
      response_status: err ? 'server_error' : 'ok',
      response_code: err ? 500 : 200,
      ip_0: `10.0.0.${c}`,
      ip_1: `10.0.0.${s}`,
      client_port: 40000 + i,
      server_port: s === 4 ? 3306 : 8080,
      protocol: 'tcp',
      flow_id: i,
      observation_point: 's-p',
      signal_source: 'ebpf',
      pod_id_0: c,
      pod_id_1: s,
      service_id_0: SERVICE_OF_POD[c]!,
      service_id_1: SERVICE_OF_POD[s]!,
      auto_service_id_0: SERVICE_OF_POD[c]!,
      auto_service_type_0: AUTO_TYPE.service,
      auto_service_id_1: SERVICE_OF_POD[s]!,
      auto_service_type_1: AUTO_TYPE.service,
    } as RequestLog;
  });
}

export interface TestApi {
  ctx: ApiContext;
  base: string;
  /** a second server whose POST /v1/query runs with `smallLimits` */
  smallBase: string;
  query: QueryService;
  close(): Promise<void>;
}

export async function startTestApi(records: RequestLog[], smallLimits: QueryLimits): Promise<TestApi> {
  const { dir, ctx } = await openTestContext('zs-query-api-');
  const { telemetry, resources } = ctx;

  const router = new Router();
  registerTrpc(router, ctx);
  const query = registerQueryRoutes(router, ctx);
  const server = routerServer(router);
  const link = attachAgentLink(server, ctx);
  const small = new Router();
  registerQueryRoutes(small, ctx, smallLimits);
  const smallServer = http.createServer((req, res) => void small.handle(req, res));
  const listen = async (s: http.Server) => {
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    return `127.0.0.1:${(s.address() as AddressInfo).port}`;
  };
  const addr = await listen(server);
  const smallAddr = await listen(smallServer);

  // Ingest through the real path: agent Sender -> WebSocket link -> chDB.
  const sender = new Sender({
    url: `ws://${addr}`,
    token: AGENT_TOKEN,
    hostname: 'query-test',
    batchRows: 500,
  });
  for (const r of records) sender.enqueue({ kind: 'request_log', ...r });
  await sender.flush();
  await waitFor(() => sender.stats().ackedRows >= records.length, 30_000, 'all rows acked');
  await sender.close();

  // Resource names as the tag sync would load them.
  const rows = (xs: [number, string][]) => xs.map(([id, name]) => `(${id}, '${name}')`).join(', ');
  await telemetry.command(`INSERT INTO flow_tag.pod_map_src (id, name) VALUES ${rows(PODS)}`);
  await telemetry.command(`INSERT INTO flow_tag.service_map_src (id, name) VALUES ${rows(SERVICES)}`);
  await telemetry.command(
    `INSERT INTO flow_tag.pod_custom_tag_map_src (id, key, value) VALUES (1, 'k8s.label.app', 'web'), (2, 'k8s.label.app', 'shop'), (3, 'k8s.label.app', 'shop'), (4, 'k8s.label.app', 'mysql')`,
  );
  await telemetry.command('SYSTEM RELOAD DICTIONARIES');

  return {
    ctx,
    base: `http://${addr}`,
    smallBase: `http://${smallAddr}`,
    query,
    async close() {
      await link.close();
      server.close();
      smallServer.close();
      await telemetry.close();
      await resources.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  body: Record<string, unknown> & { columns?: string[]; values?: unknown[][] };
}

/** POST /v1/query with the admin token (or `token`, or none when null). */
export async function postQuery(
  base: string,
  body: unknown,
  token: string | null = ADMIN_TOKEN,
): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${base}/v1/query`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Reply['body'] };
}
