/**
 * The resource controller against a real resource store (SQLite or MariaDB) and embedded
 * chDB: recording of full reports and deltas, change events in `event.resource_event`,
 * flow_tag dictionaries (names and custom tags) fresh after every change, and a restart.
 * Run once per backend by controller-sqlite.test.ts and controller-mysql.test.ts (one chDB
 * per process, so one backend per test file).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffResources, type ResourceReport, type ResourcesFrame } from '@zeroscope/wire/resources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResourceController, type ResourceController } from '../src/controller/controller';
import { openResourceStore, type ResourceStore } from '../src/resources/store';
import { testBackends } from '../src/resources/testing';
import { openTelemetryStore, type TelemetryStore } from '../src/storage/telemetry';
import { CART, CART_CONTAINER, CART_POD, CURL, full, NGINX, nodeReport, T0 } from './controller-fixtures';

const AGENT = 'agent-node-a';
const AGENT_ID = 7;

export function controllerSuite(name: 'sqlite' | 'mysql'): void {
  describe(`resource controller on ${name} + chDB`, async () => {
    const backend = (await testBackends()).find((b) => b.name === name)!;
    if (backend.unavailable) console.warn(`skipping: ${backend.unavailable}`);
    let store: ResourceStore;
    let telemetry: TelemetryStore;
    let chdbDir: string;
    let ctl: ResourceController;
    let report: ResourceReport;

    const dictName = async (kind: string, id: number) =>
      (
        await telemetry.query<{ v: string }>(
          `SELECT dictGetOrDefault('flow_tag.${kind}_map', 'name', toUInt64({id:UInt32}), '') AS v`,
          { id },
        )
      )[0]!.v;
    const customTag = async (kind: 'pod' | 'gprocess', id: number, key: string) =>
      (
        await telemetry.query<{ v: string }>(
          `SELECT dictGetOrDefault('flow_tag.${kind}_custom_tag_map', 'value', (toUInt64({id:UInt32}), {key:String}), '') AS v`,
          { id, key },
        )
      )[0]!.v;
    const events = async () =>
      (
        await telemetry.query<{ resource_type: string; event_type: string; name: string; t: number }>(
          `SELECT resource_type, event_type, name, toUnixTimestamp64Micro(time) AS t
           FROM event.resource_event WHERE agent_id = ${AGENT_ID} ORDER BY time, resource_type, name`,
        )
      ).map((e) => ({ ...e, t: Number(e.t) }));
    const procId = async (pid: number) =>
      (await store.db.process.findFirstOrThrow({ where: { pid }, orderBy: { id: 'desc' } })).id;
    let seq = 0;
    const sendNext = (next: ResourceReport): string => {
      const frame: ResourcesFrame = {
        type: 'resources',
        full: false,
        seq: ++seq,
        delta: diffResources(report, next),
      };
      report = next;
      return ctl.onResources(AGENT, AGENT_ID, frame);
    };

    beforeAll(async () => {
      if (backend.unavailable) return;
      store = await openResourceStore(await backend.setup());
      chdbDir = mkdtempSync(join(tmpdir(), 'zs-ctl-chdb-'));
      telemetry = await openTelemetryStore({ dataDir: chdbDir, clickhouseUrl: undefined });
      ctl = createResourceController({ db: store.db, telemetry, syncIntervalMs: 100, log: () => {} });
    }, 120_000);

    afterAll(async () => {
      await ctl?.close();
      await telemetry?.close();
      await store?.close();
      await backend.teardown();
      if (chdbDir) rmSync(chdbDir, { recursive: true, force: true });
    });

    it.skipIf(!!backend.unavailable)(
      'records a full report: host, interfaces, processes, containers, Kubernetes',
      async () => {
        report = nodeReport();
        const before = Date.now() * 1000;
        expect(ctl.onResources(AGENT, AGENT_ID, full(report))).toBe('full');
        await ctl.settle();
        const db = store.db;
        const host = await db.host.findUniqueOrThrow({ where: { uid: 'machine-node-a' } });
        expect(host).toMatchObject({ hostname: 'node-a', kernel: '6.18.0', arch: 'x86_64' });
        expect(
          (await db.netInterface.findMany({ where: { hostId: host.id } })).map((i) => i.name).sort(),
        ).toEqual(['eth0', 'lo']);
        const procs = await db.process.findMany({ where: { hostId: host.id }, orderBy: { pid: 'asc' } });
        expect(procs.map((p) => [p.pid, p.comm, p.exitedAt])).toEqual([
          [100, 'nginx', null],
          [200, 'java', null],
          [300, 'curl', null],
        ]);
        expect(procs[0]!.env).toEqual(NGINX.env);
        expect(procs[0]!.startTime.getTime()).toBe(Math.floor(NGINX.startTime / 1000));
        const pod = await db.k8sPod.findUniqueOrThrow({
          where: { uid: 'uid-cart-1' },
          include: { workload: true },
        });
        expect(pod).toMatchObject({ name: 'cart-1', ip: '10.2.0.11', labels: CART_POD.labels });
        expect(pod.workload).toMatchObject({ kind: 'Deployment', name: 'cart' });
        const container = await db.container.findUniqueOrThrow({ where: { uid: CART.containerId } });
        expect(container.podId).toBe(pod.id);
        expect(procs[1]!.containerId).toBe(container.id);
        const node = await db.k8sNode.findFirstOrThrow({ where: { name: 'node-a' } });
        expect(node.hostId).toBe(host.id);
        expect(await db.k8sNode.count()).toBe(2); // node-b is known from db-0's spec
        expect(await db.k8sService.findFirst({ where: { name: 'cart' } })).toMatchObject({
          clusterIp: '10.3.0.10',
        });

        const ev = await events();
        const created = ev
          .filter((e) => e.event_type === 'created')
          .map((e) => `${e.resource_type}:${e.name}`);
        expect(created.sort()).toEqual(
          [
            'container:cart',
            'gprocess:cart-svc',
            'gprocess:curl',
            'gprocess:nginx',
            'host:node-a',
            'pod:cart-1',
            'pod:db-0',
            'pod_cluster:prod',
            'pod_group:cart',
            'pod_group:db',
            'pod_node:node-a',
            'pod_node:node-b',
            'pod_ns:shop',
            'service:cart',
          ].sort(),
        );
        expect(ev.length).toBe(created.length);
        // µs timestamps round-trip: the events are stamped with the recording pass's time
        for (const e of ev) expect(e.t).toBeGreaterThanOrEqual(before - 1000);
        expect(ev[0]!.t).toBeLessThanOrEqual(Date.now() * 1000);
      },
    );

    it.skipIf(!!backend.unavailable)(
      'loads names and custom tags into the flow_tag dictionaries',
      async () => {
        const db = store.db;
        const host = await db.host.findUniqueOrThrow({ where: { uid: 'machine-node-a' } });
        const pod = await db.k8sPod.findUniqueOrThrow({ where: { uid: 'uid-cart-1' } });
        const svc = await db.k8sService.findFirstOrThrow({ where: { name: 'cart' } });
        const nginx = await procId(100);
        expect(await dictName('host', host.id)).toBe('node-a');
        expect(await dictName('gprocess', nginx)).toBe('nginx');
        // a process that names itself is known by that name
        expect(await dictName('gprocess', await procId(200))).toBe('cart-svc');
        expect(await dictName('pod', pod.id)).toBe('cart-1');
        expect(await dictName('service', svc.id)).toBe('cart');
        expect(await customTag('gprocess', nginx, 'os.env.ZEROSCOPE_TAG_team')).toBe('edge');
        expect(await customTag('pod', pod.id, 'k8s.label.app')).toBe('cart');
        expect(await customTag('pod', pod.id, 'k8s.annotation.shop.example/team')).toBe("pay'ments");
        expect(await customTag('pod', pod.id, 'k8s.env.OTEL_SERVICE_NAME')).toBe('cart-svc');
      },
    );

    it.skipIf(!!backend.unavailable)('records deltas: exits, starts, env and label changes', async () => {
      const python = {
        ...CURL,
        pid: 400,
        comm: 'python3',
        startTime: T0 + 400,
        env: { ZEROSCOPE_TAG_team: 'ml' },
      };
      const next: ResourceReport = {
        ...report,
        time: T0 + 5_000_000,
        host: { ...report.host, kernel: '6.18.1' },
        processes: [{ ...NGINX, env: { ...NGINX.env, ZEROSCOPE_TAG_team: 'edge2' } }, CART, python],
        // the container of cart-1 is replaced by a new one, and the cart Service is deleted
        containers: report.containers.map((c) => ({ ...c, id: 'd'.repeat(64) })),
        k8s: {
          ...report.k8s!,
          pods: report.k8s!.pods.map((p) =>
            p.uid === CART_POD.uid ? { ...p, labels: { app: 'cart', version: 'v2' } } : p,
          ),
          services: [],
        },
      };
      const evBefore = (await events()).length;
      expect(sendNext(next)).toBe('delta');
      await ctl.settle();
      const db = store.db;
      expect((await db.host.findUniqueOrThrow({ where: { uid: 'machine-node-a' } })).kernel).toBe('6.18.1');
      // gone resources keep their rows and ids, marked deleted
      expect(
        (await db.container.findUniqueOrThrow({ where: { uid: CART_CONTAINER } })).deletedAt,
      ).not.toBeNull();
      expect((await db.container.findUniqueOrThrow({ where: { uid: 'd'.repeat(64) } })).deletedAt).toBeNull();
      expect((await db.k8sService.findFirstOrThrow({ where: { name: 'cart' } })).deletedAt).not.toBeNull();
      const curl = await db.process.findFirstOrThrow({ where: { pid: 300 } });
      expect(curl.exitedAt).not.toBeNull();
      const py = await db.process.findFirstOrThrow({ where: { pid: 400 } });
      expect(py).toMatchObject({ comm: 'python3', exitedAt: null });
      const ev = (await events()).slice(evBefore).map((e) => `${e.event_type} ${e.resource_type}:${e.name}`);
      expect(ev.sort()).toEqual(
        [
          'changed gprocess:nginx',
          'changed host:node-a',
          'changed pod:cart-1',
          'created container:cart',
          'created gprocess:python3',
          `deleted container:${CART_CONTAINER.slice(0, 12)}`,
          'deleted gprocess:300',
          'deleted service:cart',
        ].sort(),
      );
      const pod = await db.k8sPod.findUniqueOrThrow({ where: { uid: 'uid-cart-1' } });
      expect(await customTag('gprocess', await procId(100), 'os.env.ZEROSCOPE_TAG_team')).toBe('edge2');
      expect(await customTag('gprocess', py.id, 'os.env.ZEROSCOPE_TAG_team')).toBe('ml');
      expect(await customTag('pod', pod.id, 'k8s.label.version')).toBe('v2');
      // a removed label is gone from the dictionary, not left behind with its old value
      expect(await customTag('pod', pod.id, 'k8s.label.tier')).toBe('');
      expect(ctl.stats().tagSync.rowsDeleted).toBeGreaterThanOrEqual(1);
    });

    it.skipIf(!!backend.unavailable)('ignores deltas after a gap until the next full report', async () => {
      const s = ctl.stats().recorder;
      const skipped: ResourcesFrame = { type: 'resources', full: false, seq: seq + 5, delta: { time: T0 } };
      expect(ctl.onResources(AGENT, AGENT_ID, skipped)).toBe('gap');
      const late: ResourcesFrame = { type: 'resources', full: false, seq: seq + 6, delta: { time: T0 } };
      expect(ctl.onResources(AGENT, AGENT_ID, late)).toBe('waiting');
      seq = 0;
      const evBefore = (await events()).length;
      const rows = await store.db.process.count();
      expect(ctl.onResources(AGENT, AGENT_ID, full(report))).toBe('full');
      await ctl.settle();
      expect(ctl.stats().recorder).toMatchObject({ gaps: s.gaps + 1, waiting: s.waiting + 1, errors: 0 });
      // the same report again writes nothing new and emits nothing
      expect(await store.db.process.count()).toBe(rows);
      expect((await events()).length).toBe(evBefore);
    });

    it.skipIf(!!backend.unavailable)(
      'makes a change visible in the dictionaries by itself, well within 60 s',
      async () => {
        const next: ResourceReport = {
          ...report,
          time: report.time + 1,
          processes: report.processes.map((p) =>
            p.pid === 100 ? { ...p, env: { ...p.env, ZEROSCOPE_TAG_team: 'edge3' } } : p,
          ),
        };
        const t = Date.now();
        expect(sendNext(next)).toBe('delta');
        const nginx = await procId(100);
        let value = '';
        while (Date.now() - t < 20_000) {
          value = await customTag('gprocess', nginx, 'os.env.ZEROSCOPE_TAG_team');
          if (value === 'edge3') break;
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(value).toBe('edge3');
        const ms = Date.now() - t;
        console.log(`dictionary fresh ${ms} ms after the delta (sync interval 100 ms, bound 60 s)`);
        expect(ms).toBeLessThan(60_000);
      },
    );

    it.skipIf(!!backend.unavailable)(
      'after a restart: closes processes that exited meanwhile, drops stale dictionary rows',
      async () => {
        await ctl.close();
        // a row no resource explains, as if left by an earlier run
        await telemetry.command(
          "INSERT INTO flow_tag.pod_custom_tag_map_src (id, key, value) VALUES (999999, 'k8s.label.ghost', 'boo')",
        );
        await telemetry.command('SYSTEM RELOAD DICTIONARY flow_tag.pod_custom_tag_map');
        expect(await customTag('pod', 999999, 'k8s.label.ghost')).toBe('boo');
        ctl = createResourceController({ db: store.db, telemetry, syncIntervalMs: 100, log: () => {} });
        seq = 0;
        const evBefore = (await events()).length;
        report = { ...report, processes: report.processes.filter((p) => p.pid !== 400) };
        expect(ctl.onResources(AGENT, AGENT_ID, full(report))).toBe('full');
        await ctl.settle();
        const py = await store.db.process.findFirstOrThrow({ where: { pid: 400 } });
        expect(py.exitedAt).not.toBeNull();
        expect(await customTag('pod', 999999, 'k8s.label.ghost')).toBe('');
        // re-learning what was already recorded is not a change; the exit found meanwhile is
        const ev = (await events())
          .slice(evBefore)
          .map((e) => `${e.event_type} ${e.resource_type}:${e.name}`);
        expect(ev).toEqual(['deleted gprocess:400']);
        // ids are stable across the restart
        expect(ctl.index().agents.get(AGENT_ID)?.byPid.get(100)).toBeDefined();
        expect(await dictName('gprocess', await procId(100))).toBe('nginx');
      },
    );
  });
}
