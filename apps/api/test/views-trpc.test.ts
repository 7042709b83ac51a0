/**
 * The UI routers behind the map, network, service and resources views, against the real
 * in-process API: request logs, flow logs and the agent aggregator's metric rows arrive over
 * the agent link into chDB; resource rows live in SQLite.
 */
import { MetricsAggregator } from '@zeroscope/agent/metrics';
import { Sender } from '@zeroscope/agent/sender';
import { AUTO_TYPE } from '@zeroscope/tags';
import type { FlowLog, RequestLog } from '@zeroscope/wire/records';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/auth/types';
import { DEFAULT_LIMITS } from '../src/query/limits';
import { createCaller } from '../src/trpc/router';
import { waitFor } from './link-helpers';
import { AGENT_TOKEN, cluster, NOW_S, RANGE, startTestApi, type TestApi } from './query-helpers';

const viewer: Principal = { kind: 'user', id: '1', name: 'v', role: 'viewer', scope: 'api' };
const BASE = cluster(400);
/** Three minutes later a new edge appears: db (service 3) calls frontend (service 1). */
const LATE: RequestLog[] = cluster(40).map((r) => ({
  ...r,
  start_time: r.start_time + 180_000_000,
  end_time: r.end_time + 180_000_000,
  ip_0: '10.0.0.4',
  ip_1: '10.0.0.1',
  pod_id_0: 4,
  pod_id_1: 1,
  service_id_0: 3,
  service_id_1: 1,
  auto_service_id_0: 3,
  auto_service_id_1: 1,
  response_status: 'ok',
}));

/** One flow per cluster edge, with retransmissions and a reset on cart -> db. */
function flows(): FlowLog[] {
  const t0 = (NOW_S - 290) * 1_000_000;
  const edges = [
    [1, 2, 1, 2],
    [2, 4, 2, 3],
  ] as const;
  return edges.map(([pc, ps, sc, ss], i) => ({
    start_time: t0,
    end_time: t0 + 5_000_000,
    duration: 5_000_000,
    ip_0: `10.0.0.${pc}`,
    ip_1: `10.0.0.${ps}`,
    client_port: 41000 + i,
    server_port: ps === 4 ? 3306 : 8080,
    protocol: 'tcp',
    flow_id: 9000 + i,
    byte_tx: 1000 * (i + 1),
    byte_rx: 5000 * (i + 1),
    packet_tx: 10,
    packet_rx: 12,
    rtt: 150,
    rtt_client: 70,
    rtt_server: 80,
    srt: 40,
    art: 300,
    retrans_tx: i,
    retrans_rx: 0,
    zero_win_tx: 0,
    zero_win_rx: 0,
    syn_count: 1,
    synack_count: 1,
    close_type: i === 1 ? 'server_rst' : 'normal',
    l7_protocol: ps === 4 ? 'mysql' : 'http1',
    signal_source: 'packet',
    agent_id: 0,
    pod_id_0: pc,
    pod_id_1: ps,
    service_id_0: sc,
    service_id_1: ss,
    auto_service_id_0: sc,
    auto_service_type_0: AUTO_TYPE.service,
    auto_service_id_1: ss,
    auto_service_type_1: AUTO_TYPE.service,
  })) as unknown as FlowLog[];
}

describe('UI view routers', { timeout: 60_000 }, () => {
  let api: TestApi;
  const caller = () => createCaller({ api: api.ctx, principal: viewer });

  beforeAll(async () => {
    api = await startTestApi([...BASE, ...LATE], DEFAULT_LIMITS);
    const sender = new Sender({
      url: `ws://${api.base.slice(7)}`,
      token: AGENT_TOKEN,
      hostname: 'views-test',
    });
    let rows = 0;
    const agg = new MetricsAggregator({
      emit: (row) => {
        rows++;
        sender.enqueue(row);
      },
    });
    for (const r of [...BASE, ...LATE]) agg.onRecord(r);
    for (const f of flows()) {
      agg.onFlowLog(f);
      sender.enqueue({ kind: 'flow_log', ...f });
      rows++;
    }
    agg.flush();
    await sender.flush();
    await waitFor(() => sender.stats().ackedRows >= rows, 30_000, 'metric rows acked');
    await sender.close();
    const db = api.ctx.resources.db;
    const host = await db.host.create({ data: { uid: 'm-1', hostname: 'node-a', os: 'Debian', labels: {} } });
    await db.process.create({
      data: {
        hostId: host.id,
        pid: 42,
        startTime: new Date(),
        comm: 'cart',
        cmdline: 'node cart.js',
        env: { SERVICE_NAME: 'cart' },
      },
    });
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it('map.graph: edges and nodes with RED, one vantage per edge', async () => {
    const g = await caller().map.graph({ ...RANGE, groupBy: 'service' });
    const edge = (a: string, b: string) => g.edges.find((e) => e.source === a && e.target === b);
    expect(edge('frontend', 'cart')?.requests).toBe(200);
    expect(edge('cart', 'db')?.requests).toBe(200);
    expect(edge('db', 'frontend')?.requests).toBe(40);
    // every 10th base record failed; 1 in 10 of each edge's calls
    expect(edge('frontend', 'cart')?.errors).toBe(20);
    expect(g.nodes.find((n) => n.id === 'cart')?.requests).toBe(200);
    // the records carry no auto_instance ids: instances fall back to the IP (§2.5)
    const byInstance = await caller().map.graph({ ...RANGE, groupBy: 'instance' });
    expect(byInstance.edges.map((e) => `${e.source}>${e.target}`)).toContain('10.0.0.1>10.0.0.2');
    const byNamespace = await caller().map.graph({ ...RANGE, groupBy: 'workload' });
    expect(byNamespace.edges.length).toBeGreaterThan(0);
  });

  it('map.timeline: per-minute frames where the late edge appears only later', async () => {
    const tl = await caller().map.timeline({ ...RANGE, groupBy: 'service' });
    expect(tl.step).toBe(60);
    const names = (f: number[][]) =>
      f.map((row) => `${tl.edges[row[0]!]!.source}>${tl.edges[row[0]!]!.target}`);
    const busy = tl.frames.map(names).filter((f) => f.length > 0);
    expect(busy[0]).toEqual(expect.arrayContaining(['frontend>cart', 'cart>db']));
    expect(busy[0]).not.toContain('db>frontend');
    expect(busy.at(-1)).toEqual(['db>frontend']);
  });

  it('map.node: instances and endpoints of one node', async () => {
    const n = await caller().map.node({ ...RANGE, groupBy: 'service', node: 'cart' });
    expect(n.instances.map((i) => i.name).sort()).toEqual(['10.0.0.2', '10.0.0.3']);
    expect(n.endpoints.map((e) => e.endpoint).sort()).toEqual(['/api/0', '/api/1', '/api/2']);
  });

  it('network: L4 totals per edge, its series, and its flow logs', async () => {
    const n = await caller().network.edges({ ...RANGE, groupBy: 'service' });
    const e = n.edges.find((x) => x.source === 'cart' && x.target === 'db');
    expect(e).toMatchObject({
      byteTx: 2000,
      byteRx: 10000,
      retrans: 1,
      serverRst: 1,
      rttSum: 150,
      rttCount: 1,
    });
    const s = await caller().network.edge({ ...RANGE, groupBy: 'service', source: 'cart', target: 'db' });
    expect(s.points.reduce((a, p) => a + p.byteRx, 0)).toBe(10000);
    const f = await caller().network.flows({ ...RANGE, groupBy: 'service', filters: { source: 'cart' } });
    expect(f.rows).toHaveLength(1);
    expect(f.rows[0]).toMatchObject({
      ip_0: '10.0.0.2',
      ip_1: '10.0.0.4',
      close_type: 'server_rst',
      target: 'db',
    });
    const reset = await caller().network.flows({ ...RANGE, filters: { close_type: ['normal'] } });
    expect(reset.rows.map((r) => r.source)).toEqual(['frontend']);
    await expect(
      caller().network.flows({ ...RANGE, filters: { ip: 'not-an-ip' as never } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('service: list with RED and one service with series, dependencies, errors', async () => {
    const list = await caller().service.list({ ...RANGE });
    expect(list.services.map((s) => s.name).sort()).toEqual(['cart', 'db', 'frontend']);
    // db both serves and calls (the late edge); cart's calls out are its 200 db queries
    expect(list.services.find((s) => s.name === 'cart')).toMatchObject({ requests: 200, callsOut: 200 });
    expect(list.services.find((s) => s.name === 'db')).toMatchObject({ requests: 200, callsOut: 40 });
    const cart = await caller().service.get({ ...RANGE, service: 'cart' });
    expect(cart.series.reduce((a, p) => a + p.requests, 0)).toBe(200);
    expect(cart.upstream.map((u) => u.name)).toEqual(['frontend']);
    expect(cart.downstream.map((u) => u.name)).toEqual(['db']);
    expect(cart.instances).toHaveLength(2);
    expect(cart.errors[0]).toMatchObject({ status: 'server_error', code: 500 });
    expect(cart.errors.reduce((a, x) => a + x.count, 0)).toBe(20);
  });

  it('resources: counts per kind and a searchable list with tags', async () => {
    const counts = await caller().resources.counts();
    expect(counts).toMatchObject({ host: 1, process: 1, pod: 0 });
    const procs = await caller().resources.list({ kind: 'process' });
    expect(procs.rows[0]).toMatchObject({
      name: 'cart',
      scope: 'node-a',
      tags: { 'os.env.SERVICE_NAME': 'cart' },
    });
    expect(
      (await caller().resources.list({ kind: 'process', search: 'os.env.service_name=cart' })).total,
    ).toBe(1);
    expect((await caller().resources.list({ kind: 'process', search: 'nothing-like-this' })).total).toBe(0);
    const anon = createCaller({ api: api.ctx, principal: undefined });
    await expect(anon.resources.counts()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
