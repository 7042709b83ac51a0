import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBatch, encodeBatch } from '@zeroscope/wire/codec';
import { REQUEST_LOG_COLUMNS } from '@zeroscope/wire/columns';
import { sampleRequestLogs } from '@zeroscope/wire/sample';
import { describe, expect, it } from 'vitest';
import { enforceRetention, type PartitionInfo, partitionStart, planDrops, retentionLimit } from './retention';
import { openTelemetryStore } from './telemetry';

const H = 3_600_000;
const NOW = Date.UTC(2026, 11, 3, 12);
const part = (table: string, hoursAgo: number, bytes: number, ttlDays: number): PartitionInfo => ({
  table,
  partitionId: `${table}-${hoursAgo}`,
  startMs: NOW - hoursAgo * H,
  bytes,
  ttlDays,
});

describe('size-based retention plan', () => {
  it('drops nothing while the total fits', () => {
    expect(planDrops([part('a', 3, 100, 7), part('a', 2, 100, 7)], 200, NOW)).toEqual([]);
  });

  it('drops what is furthest through its TTL first, never a table newest partition', () => {
    const parts = [
      part('flow_log.l7', 0, 100, 7),
      part('flow_log.l7', 30, 100, 7), // 18% of 7 days
      part('flow_log.l7', 60, 100, 7), // 36%
      part('flow_metrics.app_1s', 0, 50, 1),
      part('flow_metrics.app_1s', 20, 50, 1), // 83% of 1 day: goes first
      part('flow_metrics.app_1d', 24 * 40, 10, 365), // 11%: goes last
      part('flow_metrics.app_1d', 0, 10, 365),
    ];
    const ids = (limit: number) => planDrops(parts, limit, NOW).map((p) => p.partitionId);
    expect(ids(370)).toEqual(['flow_metrics.app_1s-20']);
    expect(ids(250)).toEqual(['flow_metrics.app_1s-20', 'flow_log.l7-60', 'flow_log.l7-30']);
    // never the newest of a table, even when the budget cannot be met
    expect(ids(0)).toEqual([
      'flow_metrics.app_1s-20',
      'flow_log.l7-60',
      'flow_log.l7-30',
      'flow_metrics.app_1d-960',
    ]);
  });

  it('keeps a tenth of the disk free whatever the configured maximum', () => {
    expect(retentionLimit(500, undefined, {})).toBe(Number.POSITIVE_INFINITY);
    expect(retentionLimit(500, undefined, { maxBytes: 400 })).toBe(400);
    // used 500 + free 100 - reserve 100 (10% of 1000) = 500
    expect(retentionLimit(500, { freeBytes: 100, totalBytes: 1000 }, { maxBytes: 10_000 })).toBe(500);
    expect(retentionLimit(500, { freeBytes: 0, totalBytes: 10_000 }, {})).toBe(0);
  });

  it('reads partition values of hourly, daily and monthly partitions', () => {
    expect(partitionStart("'2026-12-03 07:00:00'")).toBe(Date.UTC(2026, 11, 3, 7));
    expect(partitionStart('2026-12-03 07:00:00.000000')).toBe(Date.UTC(2026, 11, 3, 7));
    expect(partitionStart('2026-12-03')).toBe(Date.UTC(2026, 11, 3));
    expect(partitionStart('202612')).toBe(Date.UTC(2026, 11, 1));
    expect(partitionStart('tuple()')).toBeUndefined();
  });
});

describe('size-based retention on chDB', () => {
  it('drops the oldest hours of request logs to fit a budget, keeps the newest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zs-retention-'));
    const store = await openTelemetryStore({ dataDir: dir, clickhouseUrl: undefined });
    try {
      const hour = Math.floor(Date.now() / H) * H;
      for (const h of [3, 2, 1, 0]) {
        const recs = sampleRequestLogs(20_000, h + 1, (hour - h * H) * 1000);
        const res = decodeBatch(REQUEST_LOG_COLUMNS, encodeBatch(REQUEST_LOG_COLUMNS, recs as never));
        if (!res.ok) throw res.error;
        await store.insert('flow_log.l7_flow_log', res.batch);
      }
      const hours = async () =>
        (
          await store.query<{ h: string }>(
            'SELECT DISTINCT toString(toStartOfHour(start_time)) AS h FROM flow_log.l7_flow_log ORDER BY h',
          )
        ).length;
      expect(await hours()).toBe(4);
      const size = (await enforceRetention(store, { minFreeRatio: 0 })).usedBytes;
      expect(size).toBeGreaterThan(0);
      // room for a bit more than half of it: the two oldest hours go
      const r = await enforceRetention(store, { maxBytes: Math.floor(size * 0.55), minFreeRatio: 0 });
      expect(r.dropped.map((d) => d.table)).toEqual(['flow_log.l7_flow_log', 'flow_log.l7_flow_log']);
      expect(await hours()).toBe(2);
      const left = await store.query<{ n: number }>(
        `SELECT count() AS n FROM flow_log.l7_flow_log WHERE start_time >= toDateTime64(${(hour - H) / 1000}, 6)`,
      );
      expect(Number(left[0]!.n)).toBe(40_000);
      // within budget now: nothing more goes
      expect(
        (await enforceRetention(store, { maxBytes: Math.floor(size * 0.55), minFreeRatio: 0 })).dropped,
      ).toEqual([]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
