/**
 * tRPC over the real stores: request logs written to embedded chDB, read back through the
 * router (caller) and over HTTP with the real auth (bearer token and login cookie).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCError } from '@trpc/server';
import { decodeBatch, encodeBatch } from '@zeroscope/wire/codec';
import { REQUEST_LOG_COLUMNS } from '@zeroscope/wire/columns';
import { emptyRequestLog, type RequestLog } from '@zeroscope/wire/records';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../src/auth/auth';
import { registerAuthRoutes } from '../src/auth/routes';
import type { Principal } from '../src/auth/types';
import type { ApiContext } from '../src/context';
import { readEnv } from '../src/env';
import { Router, sendJson } from '../src/http/router';
import { openResourceStore } from '../src/resources/store';
import { openTelemetryStore } from '../src/storage/telemetry';
import { registerTrpc } from '../src/trpc/http';
import { createCaller } from '../src/trpc/router';

const ADMIN_TOKEN = 'zsk_trpc_test_admin_token_0123456789';
const AGENT_TOKEN = 'zsa_trpc_test_agent_token_0123456789';
const NOW_S = Math.floor(Date.now() / 1000);
const T0 = (NOW_S - 120) * 1_000_000;

function record(i: number, over: Partial<RequestLog>): RequestLog {
  return {
    ...emptyRequestLog(),
    start_time: T0 + i * 1000,
    end_time: T0 + i * 1000 + 250,
    response_duration: 250,
    l7_protocol: 'http1',
    request_type: 'GET',
    request_domain: 'shop.local',
    request_resource: `/api/items/${i}`,
    endpoint: '/api/items',
    response_status: 'ok',
    response_code: 200,
    ip_0: '10.0.0.1',
    ip_1: '10.0.0.2',
    client_port: 40000 + i,
    server_port: 8080,
    flow_id: 1000 + i,
    observation_point: 's-p',
    signal_source: 'ebpf',
    agent_id: 1,
    attribute_names: ['http.user_agent'],
    attribute_values: ['curl/8'],
    ...over,
  };
}

const RECORDS: RequestLog[] = [
  ...Array.from({ length: 20 }, (_, i) => record(i, {})),
  record(20, {
    response_status: 'server_error',
    response_code: 503,
    request_resource: '/api/Checkout?cart=9',
  }),
  record(21, {
    l7_protocol: 'mysql',
    request_type: 'QUERY',
    request_resource: 'SELECT * FROM users',
    response_status: 'client_error',
    response_code: 1064,
    ip_0: 'fd00::5',
    ip_1: 'fd00::6',
    server_port: 3306,
  }),
];

describe('tRPC requestLog', { timeout: 60_000 }, () => {
  let dir: string;
  let api: ApiContext;
  let server: http.Server;
  let base: string;
  const viewer: Principal = { kind: 'user', id: '1', name: 'admin', role: 'viewer', scope: 'api' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zs-trpc-'));
    const env = readEnv({
      ZEROSCOPE_DATA_DIR: dir,
      ZEROSCOPE_ADMIN_TOKEN: ADMIN_TOKEN,
      ZEROSCOPE_AGENT_TOKEN: AGENT_TOKEN,
    });
    const resources = await openResourceStore(env);
    const telemetry = await openTelemetryStore(env);
    const auth = await createAuth(resources, env, { log: () => {} });
    api = { env, telemetry, resources, auth };
    const decoded = decodeBatch(
      REQUEST_LOG_COLUMNS,
      encodeBatch(REQUEST_LOG_COLUMNS, RECORDS as unknown as Record<string, unknown>[]),
    );
    if (!decoded.ok) throw decoded.error;
    await telemetry.insert('flow_log.l7_flow_log', decoded.batch);

    const router = new Router();
    registerAuthRoutes(router, api);
    registerTrpc(router, api);
    server = http.createServer((req, res) => {
      void router.handle(req, res).then((handled) => {
        if (!handled) sendJson(res, 404, { error: 'not_found' });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    server?.close();
    await api?.telemetry.close();
    await api?.resources.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const window = { start: NOW_S - 600, end: NOW_S + 60 };

  it('rejects callers without a principal, and agent tokens', async () => {
    const anonymous = createCaller({ api, principal: undefined });
    await expect(anonymous.requestLog.list(window)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const agent = createCaller({ api, principal: { ...viewer, kind: 'token', scope: 'agent' } });
    await expect(agent.requestLog.list(window)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lists the newest first with a total count, µs times and IPv4 unwrapped', async () => {
    const caller = createCaller({ api, principal: viewer });
    const page = await caller.requestLog.list({ ...window, limit: 5 });
    expect(page.count).toBe(RECORDS.length);
    expect(page.rows).toHaveLength(5);
    expect(page.rows.map((r) => r.start_time)).toEqual([21, 20, 19, 18, 17].map((i) => T0 + i * 1000));
    expect(page.rows[1]).toMatchObject({
      response_status: 'server_error',
      response_code: 503,
      ip_0: '10.0.0.1',
      ip_1: '10.0.0.2',
      client_port: 40020,
      flow_id: 1020,
    });
    expect(page.rows[0]).toMatchObject({ l7_protocol: 'mysql', ip_0: 'fd00::5', server_port: 3306 });
    const next = await caller.requestLog.list({ ...window, limit: 5, offset: 5 });
    expect(next.rows[0]!.start_time).toBe(T0 + 16 * 1000);
  });

  it('filters by protocol, status, search, ip and port', async () => {
    const caller = createCaller({ api, principal: viewer });
    const list = (filters: object) => caller.requestLog.list({ ...window, filters });
    expect((await list({ l7_protocol: ['mysql'] })).count).toBe(1);
    expect((await list({ response_status: ['server_error', 'client_error'] })).count).toBe(2);
    const found = await list({ search: 'checkout' });
    expect(found.rows.map((r) => r.request_resource)).toEqual(['/api/Checkout?cart=9']);
    expect((await list({ ip: 'fd00::6' })).count).toBe(1);
    expect((await list({ ip: '10.0.0.2', server_port: 8080 })).count).toBe(21);
    expect((await list({ search: "' OR 1=1 --" })).count).toBe(0);
    const outside = await caller.requestLog.list({ start: NOW_S - 3600, end: NOW_S - 1800 });
    expect(outside).toEqual({ rows: [], count: 0 });
  });

  it('returns every field of one record by its key, and NOT_FOUND for a stale key', async () => {
    const caller = createCaller({ api, principal: viewer });
    const want = RECORDS[20]!;
    const key = {
      start_time: want.start_time,
      end_time: want.end_time,
      flow_id: want.flow_id,
      request_id: want.request_id,
      agent_id: want.agent_id,
      observation_point: want.observation_point,
    };
    const got = await caller.requestLog.get(key);
    expect(Object.keys(got).sort()).toEqual(REQUEST_LOG_COLUMNS.map((c) => c.name).sort());
    expect(got).toMatchObject({
      start_time: want.start_time,
      request_resource: '/api/Checkout?cart=9',
      attribute_names: ['http.user_agent'],
      attribute_values: ['curl/8'],
      ip_1: '10.0.0.2',
    });
    const err = await caller.requestLog.get({ ...key, flow_id: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe('NOT_FOUND');
  });

  it('rejects bad input with BAD_REQUEST', async () => {
    const caller = createCaller({ api, principal: viewer });
    await expect(caller.requestLog.list({ start: 10, end: 5 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(caller.requestLog.list({ ...window, limit: 100_000 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  describe('over HTTP at /trpc', () => {
    const url = (input: object) =>
      `${base}/trpc/requestLog.list?input=${encodeURIComponent(JSON.stringify(input))}`;

    it('answers 401 without credentials and 403 for an agent token', async () => {
      const anon = await fetch(url(window));
      expect(anon.status).toBe(401);
      expect(((await anon.json()) as { error: { data: { code: string } } }).error.data.code).toBe(
        'UNAUTHORIZED',
      );
      const agent = await fetch(url(window), { headers: { authorization: `Bearer ${AGENT_TOKEN}` } });
      expect(agent.status).toBe(403);
    });

    it('serves a bearer token and a login cookie', async () => {
      const byToken = await fetch(url({ ...window, limit: 2 }), {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(byToken.status).toBe(200);
      const body = (await byToken.json()) as { result: { data: { rows: unknown[]; count: number } } };
      expect(body.result.data.count).toBe(RECORDS.length);
      expect(body.result.data.rows).toHaveLength(2);

      const { readFileSync } = await import('node:fs');
      const password = readFileSync(join(dir, 'admin-password.txt'), 'utf8').trim();
      const login = await fetch(`${base}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const byCookie = await fetch(url({ ...window, filters: { l7_protocol: ['mysql'] } }), {
        headers: { cookie },
      });
      expect(byCookie.status).toBe(200);
      expect(((await byCookie.json()) as { result: { data: { count: number } } }).result.data.count).toBe(1);
    });

    it('keeps internal errors generic and routes unknown procedures to 404', async () => {
      const missing = await fetch(`${base}/trpc/nope.nothing`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(missing.status).toBe(404);
      const bad = await fetch(`${base}/trpc/requestLog.list?input=%7Bnot-json`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).not.toMatch(/\bat .*\.ts:\d+/);
    });
  });
});
