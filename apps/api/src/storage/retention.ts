/**
 * Size-based retention, the guard behind the per-table TTLs (PRODUCT.md §3.4): TTL alone
 * lets a busy week fill the disk. When the telemetry outgrows its budget (a configured
 * maximum, and always enough to leave `minFreeRatio` of the disk free), whole partitions
 * are dropped, those furthest through their table's TTL first, never a table's newest one.
 */
import type { TelemetryStore } from './types';

export interface PartitionInfo {
  /** db.table as system.parts names it (`_local` tables on a cluster) */
  table: string;
  partitionId: string;
  /** start of the partition's time range, ms since the epoch */
  startMs: number;
  bytes: number;
  ttlDays: number;
}

export interface RetentionBudget {
  /** bytes the telemetry may use at most; unset: only the disk bound applies */
  maxBytes?: number;
  /** share of the disk to keep free (default 0.1) */
  minFreeRatio?: number;
}

export interface DiskInfo {
  freeBytes: number;
  totalBytes: number;
}

/** The byte limit the telemetry must stay under. */
export function retentionLimit(usedBytes: number, disk: DiskInfo | undefined, b: RetentionBudget): number {
  let limit = b.maxBytes ?? Number.POSITIVE_INFINITY;
  if (disk && disk.totalBytes > 0) {
    const reserve = disk.totalBytes * (b.minFreeRatio ?? 0.1);
    limit = Math.min(limit, Math.max(0, usedBytes + disk.freeBytes - reserve));
  }
  return limit;
}

/** Partitions to drop so the total fits `limit`, in drop order (pure). */
export function planDrops(parts: readonly PartitionInfo[], limit: number, nowMs: number): PartitionInfo[] {
  let total = parts.reduce((n, p) => n + p.bytes, 0);
  if (total <= limit) return [];
  const newest = new Map<string, number>();
  for (const p of parts) newest.set(p.table, Math.max(newest.get(p.table) ?? 0, p.startMs));
  const life = (p: PartitionInfo) => (nowMs - p.startMs) / (p.ttlDays * 86_400_000);
  const candidates = parts
    .filter((p) => p.startMs < newest.get(p.table)!)
    .sort((a, b) => life(b) - life(a) || b.bytes - a.bytes);
  const out: PartitionInfo[] = [];
  for (const p of candidates) {
    if (total <= limit) break;
    out.push(p);
    total -= p.bytes;
  }
  return out;
}

/** Databases whose partitions may go; flow_tag (dictionary sources) and bookkeeping never. */
export const RETENTION_DATABASES = ['flow_log', 'flow_metrics', 'profile', 'event', 'prometheus'] as const;

/** `2026-12-03 07:00:00`, `2026-12-03`, `202612` ... -> ms; undefined for non-time partitions. */
export function partitionStart(partition: string): number | undefined {
  const s = partition.replace(/^'|'$/g, '');
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}))?/.exec(s);
  if (m) return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  m = /^(\d{4})(\d{2})$/.exec(s);
  if (m) return Date.UTC(+m[1]!, +m[2]! - 1, 1);
  return undefined;
}

const ttlDaysOf = (engineFull: string): number => {
  const m = /toIntervalDay\((\d+)\)|INTERVAL (\d+) DAY/i.exec(engineFull);
  return m ? Number(m[1] ?? m[2]) : 365;
};

export interface RetentionResult {
  usedBytes: number;
  limitBytes: number;
  dropped: { table: string; partitionId: string; bytes: number }[];
}

/** Reads the parts and the disk, drops what planDrops says. */
export async function enforceRetention(
  store: Pick<TelemetryStore, 'query' | 'command'>,
  budget: RetentionBudget & { cluster?: string } = {},
  nowMs = Date.now(),
): Promise<RetentionResult> {
  const dbs = RETENTION_DATABASES.map((d) => `'${d}'`).join(', ');
  const [rows, tables, disks] = await Promise.all([
    store.query<{ db: string; t: string; pid: string; partition: string; bytes: number | string }>(
      `SELECT database AS db, table AS t, partition_id AS pid, any(partition) AS partition, sum(bytes_on_disk) AS bytes
       FROM system.parts WHERE active AND database IN (${dbs}) GROUP BY db, t, pid`,
    ),
    store.query<{ db: string; t: string; engine_full: string }>(
      `SELECT database AS db, name AS t, engine_full FROM system.tables WHERE database IN (${dbs})`,
    ),
    store.query<{ free: number | string; total: number | string }>(
      "SELECT free_space AS free, total_space AS total FROM system.disks WHERE name = 'default'",
    ),
  ]);
  const ttl = new Map(tables.map((t) => [`${t.db}.${t.t}`, ttlDaysOf(t.engine_full)]));
  const parts: PartitionInfo[] = [];
  let used = 0;
  for (const r of rows) {
    used += Number(r.bytes);
    const startMs = partitionStart(r.partition);
    const table = `${r.db}.${r.t}`;
    if (startMs !== undefined)
      parts.push({
        table,
        partitionId: r.pid,
        startMs,
        bytes: Number(r.bytes),
        ttlDays: ttl.get(table) ?? 365,
      });
  }
  const disk = disks[0]
    ? { freeBytes: Number(disks[0].free), totalBytes: Number(disks[0].total) }
    : undefined;
  const limit = retentionLimit(used, disk, budget);
  const drops = planDrops(parts, limit, nowMs);
  const on = budget.cluster ? ` ON CLUSTER ${budget.cluster}` : '';
  for (const p of drops)
    await store.command(
      `ALTER TABLE ${p.table}${on} DROP PARTITION ID '${p.partitionId.replace(/[^A-Za-z0-9_-]/g, '')}'`,
    );
  return {
    usedBytes: used,
    limitBytes: limit,
    dropped: drops.map((p) => ({ table: p.table, partitionId: p.partitionId, bytes: p.bytes })),
  };
}

export interface RetentionGuard {
  stop(): void;
  stats: { checks: number; droppedPartitions: number; droppedBytes: number; errors: number };
}

/** Checks every `intervalMs` (default 5 min), first one minute after start. */
export function startRetentionGuard(
  store: Pick<TelemetryStore, 'query' | 'command'>,
  opts: RetentionBudget & { cluster?: string; intervalMs?: number; log?: (line: string) => void } = {},
): RetentionGuard {
  const stats = { checks: 0, droppedPartitions: 0, droppedBytes: 0, errors: 0 };
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      const r = await enforceRetention(store, opts);
      stats.checks++;
      stats.droppedPartitions += r.dropped.length;
      for (const d of r.dropped) {
        stats.droppedBytes += d.bytes;
        opts.log?.(
          `retention: dropped ${d.table} partition ${d.partitionId} (${d.bytes} bytes) to stay under ${r.limitBytes} bytes`,
        );
      }
    } catch (err) {
      stats.errors++;
      opts.log?.(`retention check failed: ${(err as Error).message}`);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(check, Math.min(60_000, opts.intervalMs ?? 60_000));
  const timer = setInterval(check, opts.intervalMs ?? 300_000);
  first.unref();
  timer.unref();
  return {
    stats,
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
