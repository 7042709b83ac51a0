/**
 * The resource store on SQLite and on MariaDB: migrations apply once, the tables match the
 * Prisma models, every model round-trips, ids are stable and never reused.
 */

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../generated/prisma/mysql/client';
import { migrateMysql } from '../src/resources/migrateMysql';
import { migrateSqlite } from '../src/resources/migrateSqlite';
import { loadMigrations, type Migration } from '../src/resources/migrations';
import { parseMysqlUrl } from '../src/resources/mysqlUrl';
import { openResourceStore, type ResourceStore } from '../src/resources/store';
import { testBackends } from '../src/resources/testing';

const backends = await testBackends();
for (const b of backends)
  if (b.unavailable) console.warn(`skipping the ${b.name} resource-store tests: ${b.unavailable}`);

async function columnsOf(store: ResourceStore, table: string): Promise<string[]> {
  const rows =
    store.kind === 'sqlite'
      ? await store.db.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM pragma_table_info('${table}')`)
      : await store.db.$queryRawUnsafe<{ name: string }[]>(
          'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
          table,
        );
  return rows.map((r) => r.name).sort();
}

for (const backend of backends) {
  describe.skipIf(backend.unavailable !== undefined)(
    `resource store on ${backend.name}`,
    { timeout: 30_000 },
    () => {
      let env: { dataDir: string; mysqlUrl: string | undefined };
      let store: ResourceStore;

      beforeAll(async () => {
        env = await backend.setup();
        store = await openResourceStore(env);
      }, 60_000);

      afterAll(async () => {
        await store?.close();
        await backend.teardown();
      });

      it('applies the migrations on first open and nothing on reopen', async () => {
        expect(store.kind).toBe(backend.name);
        const shipped = loadMigrations(store.kind).map((m) => m.version);
        expect(shipped[0]).toBe('0001_init');
        expect(store.migrated).toEqual(shipped);
        const again = await openResourceStore(env);
        try {
          expect(again.migrated).toEqual([]);
          const rows = await again.db.$queryRawUnsafe<{ version: string }[]>(
            'SELECT version FROM _zeroscope_migrations',
          );
          expect(rows.map((r) => r.version).sort()).toEqual(shipped);
        } finally {
          await again.close();
        }
      });

      it('applies a later migration once on top, and records nothing for a failing one', async () => {
        const run = (ms: Migration[]) =>
          store.kind === 'sqlite'
            ? migrateSqlite(join(env.dataDir, 'resources.db'), ms)
            : migrateMysql(parseMysqlUrl(env.mysqlUrl!), ms);
        const probe: Migration = {
          version: '9000_probe',
          statements: [
            'CREATE TABLE zs_probe (id INTEGER NOT NULL PRIMARY KEY)',
            'INSERT INTO zs_probe (id) VALUES (7)',
          ],
        };
        const all = [...loadMigrations(store.kind), probe];
        expect(await run(all)).toEqual(['9000_probe']);
        expect(await run(all)).toEqual([]);
        expect(await store.db.$queryRawUnsafe('SELECT id FROM zs_probe')).toEqual([{ id: 7 }]);

        const bad: Migration = {
          version: '9001_bad',
          statements: ['CREATE TABLE zs_bad (id INTEGER)', 'NOT SQL AT ALL'],
        };
        await expect(run([...all, bad])).rejects.toMatchObject({ code: 'migration_failed' });
        const versions = await store.db.$queryRawUnsafe<{ version: string }[]>(
          'SELECT version FROM _zeroscope_migrations',
        );
        expect(versions.map((v) => v.version).sort()).toEqual([...all.map((m) => m.version)].sort());
        // SQLite DDL is transactional: the failed migration left no table behind.
        if (store.kind === 'sqlite')
          expect(
            await store.db.$queryRawUnsafe("SELECT name FROM sqlite_master WHERE name = 'zs_bad'"),
          ).toEqual([]);
      });

      it('has a table with exactly the scalar fields of every Prisma model', async () => {
        const enums = Prisma as unknown as Record<string, Record<string, string>>;
        for (const model of Object.values(Prisma.ModelName)) {
          const fields = Object.values(enums[`${model}ScalarFieldEnum`] ?? {}).sort();
          expect(fields.length, model).toBeGreaterThan(0);
          expect(await columnsOf(store, model), model).toEqual(fields);
        }
      });

      it('round-trips the inventory with JSON tags, dates and relations', async () => {
        const { db } = store;
        const host = await db.host.create({
          data: { uid: 'machine-1', hostname: 'node-a', os: 'debian', labels: { rack: 'r1', zone: 'z' } },
        });
        await db.netInterface.create({
          data: {
            hostId: host.id,
            name: 'eth0',
            mac: '02:00:00:00:00:01',
            ips: ['10.0.0.5/24', 'fe80::1/64'],
          },
        });
        const start = new Date('2026-11-21T10:00:00.123Z');
        const container = await db.container.create({
          data: {
            hostId: host.id,
            uid: 'c'.repeat(64),
            name: 'web',
            image: 'nginx:1',
            labels: { app: 'web' },
          },
        });
        const proc = await db.process.create({
          data: {
            hostId: host.id,
            pid: 4242,
            startTime: start,
            comm: 'node',
            cmdline: `node server.js ${'x'.repeat(400)}`,
            env: { NODE_ENV: 'production', PORT: '8080' },
            containerId: container.id,
          },
        });
        const cluster = await db.k8sCluster.create({ data: { name: 'prod' } });
        const ns = await db.k8sNamespace.create({
          data: { clusterId: cluster.id, name: 'shop', labels: { team: 'payments' } },
        });
        const node = await db.k8sNode.create({
          data: { clusterId: cluster.id, name: 'node-a', hostId: host.id },
        });
        const workload = await db.k8sWorkload.create({
          data: { namespaceId: ns.id, kind: 'Deployment', name: 'cart', annotations: { 'x/y': 'z' } },
        });
        const pod = await db.k8sPod.create({
          data: {
            namespaceId: ns.id,
            name: 'cart-abc',
            uid: 'pod-uid-1',
            nodeId: node.id,
            workloadId: workload.id,
            ip: '10.1.0.7',
            labels: { app: 'cart', 'pod-template-hash': 'abc' },
          },
        });
        await db.k8sService.create({
          data: {
            namespaceId: ns.id,
            name: 'cart',
            clusterIp: '10.96.0.10',
            selector: { app: 'cart' },
            ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
          },
        });
        await db.container.update({ where: { id: container.id }, data: { podId: pod.id } });

        const got = await db.process.findUniqueOrThrow({
          where: { hostId_pid_startTime: { hostId: host.id, pid: 4242, startTime: start } },
          include: {
            container: { include: { pod: { include: { namespace: true, workload: true } } } },
            host: true,
          },
        });
        expect(got.id).toBe(proc.id);
        expect(got.startTime.toISOString()).toBe(start.toISOString());
        expect(got.env).toEqual({ NODE_ENV: 'production', PORT: '8080' });
        expect(got.cmdline.length).toBe(415);
        expect(got.host.labels).toEqual({ rack: 'r1', zone: 'z' });
        expect(got.container?.pod?.labels).toEqual({ app: 'cart', 'pod-template-hash': 'abc' });
        expect(got.container?.pod?.namespace.labels).toEqual({ team: 'payments' });
        expect(got.container?.pod?.workload?.annotations).toEqual({ 'x/y': 'z' });
        const nic = await db.netInterface.findUniqueOrThrow({
          where: { hostId_name: { hostId: host.id, name: 'eth0' } },
        });
        expect(nic.ips).toEqual(['10.0.0.5/24', 'fe80::1/64']);
        const svc = await db.k8sService.findFirstOrThrow({ where: { clusterIp: '10.96.0.10' } });
        expect(svc.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]);

        // Deleting a host cascades to what lives on it and unlinks the rest.
        await db.host.delete({ where: { id: host.id } });
        expect(await db.process.count({ where: { hostId: host.id } })).toBe(0);
        expect(await db.container.count({ where: { hostId: host.id } })).toBe(0);
        expect((await db.k8sNode.findUniqueOrThrow({ where: { id: node.id } })).hostId).toBeNull();
      });

      it('rejects duplicates of a unique key with P2002', async () => {
        await store.db.k8sCluster.create({ data: { name: 'dup' } });
        await expect(store.db.k8sCluster.create({ data: { name: 'dup' } })).rejects.toMatchObject({
          code: 'P2002',
        });
      });

      it('keeps ids stable across reopen and never reuses a deleted id', async () => {
        const a = await store.db.host.create({ data: { uid: 'stable-a', hostname: 'a' } });
        const b = await store.db.host.create({ data: { uid: 'stable-b', hostname: 'b' } });
        expect(b.id).toBe(a.id + 1);
        await store.db.host.delete({ where: { id: b.id } });
        await store.close();
        store = await openResourceStore(env);
        expect((await store.db.host.findUniqueOrThrow({ where: { uid: 'stable-a' } })).id).toBe(a.id);
        const c = await store.db.host.create({ data: { uid: 'stable-c', hostname: 'c' } });
        expect(c.id).toBeGreaterThan(b.id);
      });

      it('registers agents and versions their config', async () => {
        const first = await store.upsertAgent({ id: 'agent-1', hostname: 'node-a', version: '0.1.0' });
        expect(first.configVersion).toBe(0);
        expect(first.config).toEqual({});
        const pushed = await store.setAgentConfig('agent-1', {
          protocols: ['http1', 'mysql'],
          payloadSize: 512,
        });
        expect(pushed.configVersion).toBe(1);
        const again = await store.upsertAgent({ id: 'agent-1', hostname: 'node-a', version: '0.2.0' });
        expect(again.version).toBe('0.2.0');
        expect(again.configVersion).toBe(1);
        expect(again.config).toEqual({ protocols: ['http1', 'mysql'], payloadSize: 512 });
        expect(again.lastSeen.getTime()).toBeGreaterThanOrEqual(first.lastSeen.getTime());
        await expect(store.setAgentConfig('nope', {})).rejects.toMatchObject({ code: 'not_found' });
      });

      it('stores alerting and sharing rows', async () => {
        const { db } = store;
        const ch = await db.notificationChannel.create({
          data: { name: 'ops', kind: 'webhook', config: { url: 'http://127.0.0.1:9/hook' } },
        });
        const rule = await db.alertRule.create({
          data: {
            name: 'high error rate',
            query: "SELECT error_ratio FROM application.1m WHERE auto_service = 'cart'",
            condition: { op: '>', threshold: 0.05 },
            forSeconds: 120,
            channelIds: [ch.id],
          },
        });
        expect(rule.enabled).toBe(true);
        expect(rule.severity).toBe('warning');
        const updated = await db.alertRule.update({ where: { id: rule.id }, data: { enabled: false } });
        expect(updated.enabled).toBe(false);
        expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(rule.updatedAt.getTime());
        const now = Date.now();
        await db.silence.create({
          data: {
            matchers: [{ name: 'service', op: '=', value: 'cart' }],
            startsAt: new Date(now),
            endsAt: new Date(now + 3600e3),
          },
        });
        expect(await db.silence.count({ where: { endsAt: { gt: new Date() } } })).toBe(1);
        await db.sharedLink.create({ data: { id: 'Ab3_x9', state: { path: '/map', from: 1, to: 2 } } });
        expect((await db.sharedLink.findUniqueOrThrow({ where: { id: 'Ab3_x9' } })).state).toEqual({
          path: '/map',
          from: 1,
          to: 2,
        });
      });
    },
  );
}
