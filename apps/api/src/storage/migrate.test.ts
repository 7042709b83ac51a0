import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBatch, encodeBatch } from '@zeroscope/wire/codec';
import { REQUEST_LOG_COLUMNS } from '@zeroscope/wire/columns';
import { sampleRequestLogs } from '@zeroscope/wire/sample';
import { queryBind } from 'chdb';
import { describe, expect, it } from 'vitest';
import { migrateTelemetry, migrationPlan } from './migrate';
import { MIGRATIONS } from './migrations';
import { openTelemetryStore, serverLogin } from './telemetry';

describe('migration 016 on a store that already holds request logs', () => {
  it('re-keys flow_log.l7_flow_log, keeps every row, and can be rerun', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zs-migrate-'));
    const store = await openTelemetryStore({ dataDir: dir, clickhouseUrl: undefined }, { migrate: false });
    try {
      expect(
        await migrateTelemetry(
          store,
          MIGRATIONS.filter((m) => m.version < 16),
        ),
      ).not.toContain(16);
      const recs = sampleRequestLogs(5000, 3);
      const res = decodeBatch(REQUEST_LOG_COLUMNS, encodeBatch(REQUEST_LOG_COLUMNS, recs as never));
      if (!res.ok) throw res.error;
      await store.insert('flow_log.l7_flow_log', res.batch);
      const digest = async () =>
        (
          await store.query<{ n: number; h: string }>(
            'SELECT count() AS n, toString(sum(cityHash64(request_resource, start_time, auto_service_id_1))) AS h FROM flow_log.l7_flow_log',
          )
        )[0];
      const before = await digest();
      expect(Number(before!.n)).toBe(5000);

      expect(await migrateTelemetry(store)).toEqual([16]);
      expect(await digest()).toEqual(before);
      const [t] = await store.query<{ sorting_key: string; create: string }>(
        "SELECT sorting_key, create_table_query AS create FROM system.tables WHERE database = 'flow_log' AND name = 'l7_flow_log'",
      );
      expect(t!.sorting_key).toBe(
        'toStartOfMinute(start_time), auto_service_id_1, auto_instance_id_1, auto_service_id_0, l7_protocol, start_time',
      );
      expect(t!.create).toMatch(/`pod_id_0` UInt32 CODEC\(T64, ZSTD\(1\)\)/);
      expect(t!.create).toMatch(/INDEX idx_trace_id trace_id TYPE bloom_filter/);
      expect(
        await store.query(
          "SELECT name FROM system.tables WHERE database = 'flow_log' AND name LIKE '%v016%'",
        ),
      ).toEqual([]);

      // as after a crash before the migration was recorded: the whole migration runs again
      await store.command('ALTER TABLE zeroscope.schema_migrations DELETE WHERE version = 16');
      await store.command('OPTIMIZE TABLE zeroscope.schema_migrations FINAL');
      expect(await migrateTelemetry(store)).toEqual([16]);
      expect(await digest()).toEqual(before);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('flow_tag dictionaries in server mode', () => {
  it('re-creates them with the API login, escaped, on a cluster too', () => {
    expect(serverLogin('http://zeroscope:p%40ss@clickhouse:8123')).toEqual({
      user: 'zeroscope',
      password: 'p@ss',
    });
    expect(serverLogin('http://clickhouse:8123')).toEqual({ user: 'default', password: '' });
    const plan = migrationPlan(MIGRATIONS, { credentials: { user: 'zs', password: "it's\\x" } });
    expect(plan.always.length).toBeGreaterThanOrEqual(13);
    for (const s of plan.always) {
      expect(s).toMatch(/^CREATE OR REPLACE DICTIONARY flow_tag\.\w+ \(/);
      expect(s).toContain("USER 'zs' PASSWORD 'it\\'s\\\\x'");
      expect(() => queryBind('SELECT formatQuery({q:String})', { q: s }, 'JSONEachRow')).not.toThrow();
    }
    const cluster = migrationPlan(MIGRATIONS, { cluster: 'c1', credentials: { user: 'zs', password: 'x' } });
    for (const s of cluster.always)
      expect(s).toMatch(/^CREATE OR REPLACE DICTIONARY flow_tag\.\w+ ON CLUSTER c1 /);
    expect(migrationPlan(MIGRATIONS).always).toEqual([]);
  });

  it('keeps them working when re-created (embedded chDB, its default user)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zs-dict-'));
    const store = await openTelemetryStore({ dataDir: dir, clickhouseUrl: undefined });
    try {
      await migrateTelemetry(store, MIGRATIONS, { credentials: { user: 'default', password: '' } });
      await store.command("INSERT INTO flow_tag.pod_map_src (id, name) VALUES (7, 'cart-1')");
      await store.command('SYSTEM RELOAD DICTIONARY flow_tag.pod_map');
      const [r] = await store.query<{ v: string }>(
        "SELECT dictGet('flow_tag.pod_map', 'name', toUInt64(7)) AS v",
      );
      expect(r!.v).toBe('cart-1');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
