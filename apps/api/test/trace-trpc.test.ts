/**
 * The trace router over real storage: hand-made request logs and an OTLP span go through the
 * agent link into embedded chDB; trace.search / trace.get / trace.byRecord assemble them.
 */
import { TRPCError } from '@trpc/server';
import { emptyRequestLog, type RequestLog } from '@zeroscope/wire/records';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/auth/types';
import { CURL, demoChain, GATEWAY, hop, row } from '../src/tracing/fixtures';
import type { TraceRow } from '../src/tracing/row';
import { createCaller } from '../src/trpc/router';
import { NOW_S, startTestApi, type TestApi } from './query-helpers';

const T0 = (NOW_S - 120) * 1_000_000;
const at = (a: number, b: number): [number, number] => [T0 + a, T0 + b];
const HEADER = '4bf92f3577b34da6a3ce929d0e0e4736';
const LIMITS = {
  maxRows: 10_000,
  maxExecutionSeconds: 30,
  timeoutMs: 35_000,
  maxResultBytes: 1 << 26,
  maxRangeSeconds: 86_400,
  maxSqlLength: 16_384,
  maxBodyBytes: 65_536,
};

// Trace A: curl -> gateway -> catalog -> redis (no header). Trace B: curl -> gateway failing,
// with a traceparent header and the gateway's OTLP server span.
const { a: a1, b: a2, c: a3 } = demoChain(T0, { entry: '/api/items' });
const b1 = hop({
  client: CURL,
  server: GATEWAY,
  port: 8080,
  clientPort: 50003,
  seq: 5000,
  at: at(30_000, 90_000),
  cIds: [5, 6],
  sIds: [501, 502],
  endpoint: '/api/pay',
});
for (const r of [b1.c, b1.s]) {
  r.trace_id = HEADER;
  r.span_id = '00f067aa0ba902b7';
  r.response_status = 'server_error';
  r.response_code = 500;
}
const app = row({
  observation_point: 'app',
  signal_source: 'otel',
  trace_id: HEADER,
  span_id: 'b7ad6b7169203331',
  parent_span_id: '00f067aa0ba902b7',
  endpoint: 'POST /api/pay',
  start_time: T0 + 31_000,
  end_time: T0 + 89_000,
  attribute_names: ['service.name'],
  attribute_values: ['gateway'],
});
const ROWS: TraceRow[] = [a1.c, a1.s, a2.c, a2.s, a3.c, a3.s, b1.c, b1.s, app];
const asRecord = (r: TraceRow): RequestLog =>
  ({
    ...emptyRequestLog(),
    ...r,
    ip_0: '10.0.0.1',
    ip_1: '10.0.0.2',
    protocol: 'tcp',
    response_duration: r.end_time - r.start_time,
  }) as RequestLog;
const keyOf = (r: TraceRow) => ({
  start_time: r.start_time,
  end_time: r.end_time,
  flow_id: r.flow_id,
  request_id: r.request_id,
  agent_id: r.agent_id,
  observation_point: r.observation_point as 's-p',
});

describe('trace router', () => {
  let api: TestApi;
  const viewer: Principal = { kind: 'user', id: '1', name: 'v', role: 'viewer', scope: 'api' };
  const range = { start: NOW_S - 600, end: NOW_S + 60 };

  beforeAll(async () => {
    api = await startTestApi(ROWS.map(asRecord), LIMITS);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('needs a signed-in user or an API token', async () => {
    const anonymous = createCaller({ api: api.ctx, principal: undefined });
    await expect(anonymous.trace.search(range)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const agent = createCaller({ api: api.ctx, principal: { ...viewer, kind: 'token', scope: 'agent' } });
    await expect(agent.trace.get({ traceId: HEADER })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lists entry requests only, filtered by service, status and duration', async () => {
    const caller = createCaller({ api: api.ctx, principal: viewer });
    const all = await caller.trace.search(range);
    expect(all.map((t) => t.name).sort()).toEqual(['GET /api/items', 'GET /api/pay']);
    const pay = all.find((t) => t.name === 'GET /api/pay')!;
    expect(pay).toMatchObject({
      traceId: HEADER,
      status: 'server_error',
      responseCode: 500,
      service: 'gateway',
      spanCount: 3, // both sides of the hop and the OTLP span
    });
    expect((await caller.trace.search({ ...range, status: ['server_error'] })).map((t) => t.traceId)).toEqual(
      [HEADER],
    );
    expect(await caller.trace.search({ ...range, minDuration: 100_000 })).toEqual([]);
    const slowest = await caller.trace.search({ ...range, orderBy: 'duration' });
    expect(slowest[0]!.traceId).toBe(HEADER);
    const catalog = await caller.trace.search({ ...range, service: 'catalog', entryOnly: false });
    expect(catalog.map((t) => t.name)).toEqual(['GET /catalog']);
    await expect(caller.trace.search({ start: 10, end: 5 })).rejects.toBeInstanceOf(TRPCError);
  });

  it('assembles a trace by its synthetic id and from any of its records', async () => {
    const caller = createCaller({ api: api.ctx, principal: viewer });
    const entry = (await caller.trace.search(range)).find((t) => t.name === 'GET /api/items')!;
    const byId = await caller.trace.get({ traceId: entry.traceId });
    expect(byId.spans.map((s) => `${s.observationPoint} ${s.service}`)).toEqual([
      'c-p curl',
      's-p gateway',
      'c-p gateway',
      's-p catalog',
      'c-p catalog',
      's-p redis-server',
    ]);
    expect(byId.stats.iterations).toBeGreaterThan(0);
    // the stored record of the redis server side (the agent id is the one the API assigned)
    const leaf = byId.spans.find((s) => s.service === 'redis-server')!;
    expect(leaf.recordKey).toMatchObject({ start_time: a3.s.start_time, flow_id: a3.s.flow_id });
    const fromLeaf = await caller.trace.byRecord(leaf.recordKey as ReturnType<typeof keyOf>);
    expect(fromLeaf.spans.map((s) => s.spanId)).toEqual(byId.spans.map((s) => s.spanId));
  });

  it('merges the OTLP span into the header trace, found by its trace id', async () => {
    const caller = createCaller({ api: api.ctx, principal: viewer });
    const t = await caller.trace.get({ traceId: HEADER });
    expect(t.traceId).toBe(HEADER);
    expect(t.spans.map((s) => [s.kind, s.observationPoint, s.linkedBy])).toEqual([
      ['process', 'c-p', undefined],
      ['process', 's-p', 'tcp_seq'],
      ['app', 'app', 'span_id'],
    ]);
  });

  it('says NOT_FOUND for a trace nothing is stored for', async () => {
    const caller = createCaller({ api: api.ctx, principal: viewer });
    await expect(caller.trace.get({ traceId: 'zs-1-2-3-4-5-1' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(caller.trace.get({ traceId: 'ffffffffffffffffffffffffffffffff' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
