import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBatch, encodeBatch } from '@zeroscope/wire/codec';
import { REQUEST_LOG_COLUMNS } from '@zeroscope/wire/columns';
import { sampleRequestLogs } from '@zeroscope/wire/sample';
import { describe, expect, it } from 'vitest';
import { migrateTelemetry } from './migrate';
import { MIGRATIONS } from './migrations';
import { openTelemetryStore } from './telemetry';

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
