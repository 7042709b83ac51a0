/**
 * Ingest enrichment (PRODUCT.md §2.5) after real recording (SQLite + chDB): request, flow,
 * metric and profile rows get the int tag ids of both ends by pid, by local address and
 * listening port, and by pod / service / host IP, with auto_instance (pod > process > host
 * > IP) and auto_service (service > workload > process > host > IP). The enriched request
 * logs are then written to chDB and found through the query language by tag names.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUTO_TYPE } from '@zeroscope/tags';
import { batchToRecords, type ColumnBatch, decodeBatch, encodeBatch } from '@zeroscope/wire/codec';
import { type Column, FLOW_LOG_COLUMNS, REQUEST_LOG_COLUMNS } from '@zeroscope/wire/columns';
import { METRIC_COLUMNS } from '@zeroscope/wire/metrics';
import { PROFILE_COLUMNS } from '@zeroscope/wire/profile';
import { emptyRequestLog, type RequestLog } from '@zeroscope/wire/records';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResourceController, type ResourceController } from '../src/controller/controller';
import { QueryService } from '../src/query/service';
import { openResourceStore, type ResourceStore } from '../src/resources/store';
import { openTelemetryStore, type TelemetryStore } from '../src/storage/telemetry';
import { ADDR, full, nodeReport } from './controller-fixtures';

const AGENT_ID = 11;
type Row = Record<string, unknown>;

/** Rows of a table with every column present (zero / '' / 0.0.0.0) and `rows` applied. */
function batchOf(columns: readonly Column[], rows: Row[]): ColumnBatch {
  const zero = (c: Column) =>
    c.type === 'ip'
      ? '0.0.0.0'
      : c.type === 'string' || c.type === 'lowcard'
        ? ''
        : c.type === 'strings'
          ? []
          : 0;
  const full = rows.map((r) => ({ ...Object.fromEntries(columns.map((c) => [c.name, zero(c)])), ...r }));
  const res = decodeBatch(columns, encodeBatch(columns, full));
  if (!res.ok) throw res.error;
  return res.batch;
}

describe('ingest enrichment from recorded resources', () => {
  let dir: string;
  let store: ResourceStore;
  let telemetry: TelemetryStore;
  let ctl: ResourceController;
  /** resource ids by what they are */
  const id: Record<string, number> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zs-ctl-enrich-'));
    store = await openResourceStore({ dataDir: dir, mysqlUrl: undefined });
    telemetry = await openTelemetryStore({ dataDir: dir, clickhouseUrl: undefined });
    ctl = createResourceController({ db: store.db, telemetry, syncIntervalMs: 100, log: () => {} });
    ctl.onResources('agent-a', AGENT_ID, full(nodeReport()));
    await ctl.settle();
    const db = store.db;
    const pid = async (p: number) => (await db.process.findFirstOrThrow({ where: { pid: p } })).id;
    id.host = (await db.host.findUniqueOrThrow({ where: { uid: 'machine-node-a' } })).id;
    id.nginx = await pid(100);
    id.cart = await pid(200);
    id.curl = await pid(300);
    id.container = (await db.container.findFirstOrThrow()).id;
    id.cartPod = (await db.k8sPod.findUniqueOrThrow({ where: { uid: 'uid-cart-1' } })).id;
    id.dbPod = (await db.k8sPod.findUniqueOrThrow({ where: { uid: 'uid-db-0' } })).id;
    id.ns = (await db.k8sNamespace.findFirstOrThrow({ where: { name: 'shop' } })).id;
    id.cartDep = (await db.k8sWorkload.findFirstOrThrow({ where: { name: 'cart' } })).id;
    id.dbSts = (await db.k8sWorkload.findFirstOrThrow({ where: { name: 'db' } })).id;
    id.nodeA = (await db.k8sNode.findFirstOrThrow({ where: { name: 'node-a' } })).id;
    id.nodeB = (await db.k8sNode.findFirstOrThrow({ where: { name: 'node-b' } })).id;
    id.cluster = (await db.k8sCluster.findFirstOrThrow()).id;
    id.svc = (await db.k8sService.findFirstOrThrow()).id;
  }, 120_000);

  afterAll(async () => {
    await ctl?.close();
    await telemetry?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The tag ids one end must carry; every other tag id of that end must be 0. */
  const expectEnd = (row: Row, end: 0 | 1, want: Record<string, number>) => {
    const got = Object.fromEntries(
      Object.entries(row).filter(
        ([k, v]) =>
          k.endsWith(`_${end}`) &&
          (/_id_[01]$/.test(k) || /_type_[01]$/.test(k)) &&
          k !== `process_id_${end}` &&
          typeof v === 'number' &&
          v !== 0,
      ),
    );
    const expected = Object.fromEntries(
      Object.entries(want)
        .filter(([, v]) => v !== 0)
        .map(([k, v]) => [`${k}_${end}`, v]),
    );
    expect(got).toEqual(expected);
  };
  const cartPodTags = () => ({
    pod_id: id.cartPod!,
    pod_ns_id: id.ns!,
    pod_group_id: id.cartDep!,
    pod_node_id: id.nodeA!,
    pod_cluster_id: id.cluster!,
    service_id: id.svc!,
    host_id: id.host!,
  });
  /** the pod found by its IP: its workload, node, host and the service selecting it */
  const cartByIp = () => ({
    ...cartPodTags(),
    auto_instance_id: id.cartPod!,
    auto_instance_type: AUTO_TYPE.pod,
    auto_service_id: id.svc!,
    auto_service_type: AUTO_TYPE.service,
  });
  const cartProcess = () => ({
    ...cartPodTags(),
    gprocess_id: id.cart!,
    container_id: id.container!,
    auto_instance_id: id.cartPod!,
    auto_instance_type: AUTO_TYPE.pod,
    auto_service_id: id.svc!,
    auto_service_type: AUTO_TYPE.service,
  });
  const plainProcess = (p: number) => ({
    host_id: id.host!,
    gprocess_id: p,
    auto_instance_id: p,
    auto_instance_type: AUTO_TYPE.gprocess,
    auto_service_id: p,
    auto_service_type: AUTO_TYPE.gprocess,
  });
  const hostOnly = () => ({
    host_id: id.host!,
    auto_instance_id: id.host!,
    auto_instance_type: AUTO_TYPE.host,
    auto_service_id: id.host!,
    auto_service_type: AUTO_TYPE.host,
  });
  const dbPod = () => ({
    pod_id: id.dbPod!,
    pod_ns_id: id.ns!,
    pod_group_id: id.dbSts!,
    pod_node_id: id.nodeB!,
    pod_cluster_id: id.cluster!,
    auto_instance_id: id.dbPod!,
    auto_instance_type: AUTO_TYPE.pod,
    auto_service_id: id.dbSts!,
    auto_service_type: AUTO_TYPE.pod_group,
  });
  const service = () => ({
    service_id: id.svc!,
    pod_ns_id: id.ns!,
    pod_cluster_id: id.cluster!,
    auto_service_id: id.svc!,
    auto_service_type: AUTO_TYPE.service,
  });

  const requestRows = (): Row[] => [
    // 0: curl -> nginx over loopback, both pids seen
    { process_id_0: 300, process_id_1: 100, ip_0: '127.0.0.1', ip_1: '127.0.0.1', server_port: 80 },
    // 1: db pod (by IP) -> cart's java (by pid)
    { process_id_1: 200, ip_0: ADDR.dbPod, ip_1: ADDR.cartPod, server_port: 8080 },
    // 2: cart pod (by IP) -> the cart Service's cluster IP
    { ip_0: ADDR.cartPod, ip_1: ADDR.cartService, server_port: 80 },
    // 3: the internet -> this host's own address on a port nobody listens on
    { ip_0: ADDR.outside, ip_1: ADDR.host, server_port: 9999 },
    // 4: loopback client without pid -> the host address on cart's listening port
    { ip_0: '127.0.0.1', ip_1: ADDR.host, server_port: 8080 },
    // 5: a pid this agent never reported falls back to the address
    { process_id_1: 4242, ip_1: ADDR.dbPod, server_port: 5432 },
  ];

  it('fills both ends of request-log rows by pid, local address + port, and pod/service/host IP', () => {
    const rows = batchToRecords(ctl.enrich(batchOf(REQUEST_LOG_COLUMNS, requestRows()), AGENT_ID));
    expectEnd(rows[0]!, 0, plainProcess(id.curl!));
    expectEnd(rows[0]!, 1, plainProcess(id.nginx!));
    expectEnd(rows[1]!, 0, dbPod());
    expectEnd(rows[1]!, 1, cartProcess());
    expectEnd(rows[2]!, 0, cartByIp());
    expectEnd(rows[2]!, 1, service());
    expectEnd(rows[3]!, 0, {});
    expect(rows[3]!.auto_instance_type_0).toBe(AUTO_TYPE.ip);
    expectEnd(rows[3]!, 1, hostOnly());
    expectEnd(rows[4]!, 0, hostOnly());
    expectEnd(rows[4]!, 1, cartProcess());
    expectEnd(rows[5]!, 1, dbPod());
    expect(ctl.stats().enrich.rows).toBeGreaterThanOrEqual(6);
  });

  it('fills flow-log rows by address', () => {
    const rows = batchToRecords(
      ctl.enrich(
        batchOf(FLOW_LOG_COLUMNS, [
          { ip_0: ADDR.cartPod, ip_1: ADDR.dbPod, server_port: 5432 },
          { ip_0: '127.0.0.1', ip_1: '127.0.0.1', server_port: 80 },
        ]),
        AGENT_ID,
      ),
    );
    expectEnd(rows[0]!, 0, cartByIp());
    expectEnd(rows[0]!, 1, dbPod());
    expectEnd(rows[1]!, 0, hostOnly());
    expectEnd(rows[1]!, 1, plainProcess(id.nginx!));
  });

  it('fills metric rows: one-ended (application) and edges (application_map, network_map)', () => {
    const app = batchToRecords(
      ctl.enrich(
        batchOf(METRIC_COLUMNS.application, [{ ip_1: ADDR.cartPod, server_port: 8080, requests: 5 }]),
        AGENT_ID,
      ),
    );
    expectEnd(app[0]!, 1, cartByIp());
    expect(app[0]!.requests).toBe(5);
    for (const t of ['application_map', 'network_map'] as const) {
      const edge = batchToRecords(
        ctl.enrich(
          batchOf(METRIC_COLUMNS[t], [{ ip_0: '127.0.0.1', ip_1: '127.0.0.1', server_port: 80 }]),
          AGENT_ID,
        ),
      );
      expectEnd(edge[0]!, 0, hostOnly());
      expectEnd(edge[0]!, 1, plainProcess(id.nginx!));
    }
  });

  it('fills profile rows by the sampled pid', () => {
    const rows = batchToRecords(
      ctl.enrich(
        batchOf(PROFILE_COLUMNS, [
          { process_id: 200, event_type: 'on-cpu', stack: 'main;work', value: 3 },
          { process_id: 100, event_type: 'on-cpu', stack: 'main', value: 1 },
          { process_id: 4242, event_type: 'on-cpu', stack: 'main', value: 1 },
        ]),
        AGENT_ID,
      ),
    );
    expectEnd(rows[0]!, 1, cartProcess());
    expectEnd(rows[1]!, 1, plainProcess(id.nginx!));
    expectEnd(rows[2]!, 1, {});
  });

  it('leaves rows of an agent that reported nothing resolvable only by fleet-wide addresses', () => {
    const rows = batchToRecords(
      ctl.enrich(
        batchOf(REQUEST_LOG_COLUMNS, [
          { process_id_1: 100, ip_1: '127.0.0.1', server_port: 80 },
          { ip_1: ADDR.cartPod },
        ]),
        999,
      ),
    );
    // another agent's pid 100 or loopback is not nginx on node-a
    expectEnd(rows[0]!, 1, {});
    expectEnd(rows[1]!, 1, cartByIp());
  });

  it('stores enriched rows whose tags the query language decodes and filters by name', async () => {
    const now = Date.now() * 1000;
    const recs = requestRows().map((r, i) => ({
      ...emptyRequestLog(),
      ...r,
      start_time: now - 1_000_000 + i,
      end_time: now - 1_000_000 + i + 10,
      l7_protocol: 'http1',
      endpoint: `/e${i}`,
      response_status: 'ok',
    })) as unknown as RequestLog[];
    const batch = ctl.enrich(batchOf(REQUEST_LOG_COLUMNS, recs as unknown as Row[]), AGENT_ID);
    await telemetry.insert('flow_log.l7_flow_log', batch);
    const q = new QueryService(telemetry);
    const range = { start: Math.floor(now / 1e6) - 60, end: Math.floor(now / 1e6) + 60 };
    const run = async (sql: string) => (await q.run({ sql, ...range })).values;
    expect(
      await run(
        'SELECT endpoint, auto_service_1, auto_instance_1, pod_group_1 FROM l7_flow_log ORDER BY endpoint',
      ),
    ).toEqual([
      ['/e0', 'nginx', 'nginx', ''],
      ['/e1', 'cart', 'cart-1', 'cart'],
      ['/e2', 'cart', '10.3.0.10', ''],
      ['/e3', 'node-a', 'node-a', ''],
      ['/e4', 'cart', 'cart-1', 'cart'],
      ['/e5', 'db', 'db-0', 'db'],
    ]);
    expect(
      await run("SELECT endpoint FROM l7_flow_log WHERE auto_service = 'cart' ORDER BY endpoint"),
    ).toEqual([['/e1'], ['/e2'], ['/e4']]);
    expect(await run("SELECT endpoint FROM l7_flow_log WHERE os.env.ZEROSCOPE_TAG_team = 'edge'")).toEqual([
      ['/e0'],
    ]);
    expect(
      await run("SELECT endpoint FROM l7_flow_log WHERE process.env.ZEROSCOPE_TAG_team = 'edge'"),
    ).toEqual([['/e0']]);
    expect(await run("SELECT endpoint FROM l7_flow_log WHERE k8s.label.app_0 = 'db'")).toEqual([['/e1']]);
    expect(await run("SELECT endpoint FROM l7_flow_log WHERE gprocess_0 = 'curl'")).toEqual([['/e0']]);
  });
});
