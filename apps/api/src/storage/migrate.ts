/** Applies pending ClickHouse migrations in order, recording each in zeroscope.schema_migrations. */
import { MIGRATIONS, type Migration } from './migrations';
import type { TelemetryStore } from './types';

const META = [
  'CREATE DATABASE IF NOT EXISTS zeroscope',
  `CREATE TABLE IF NOT EXISTS zeroscope.schema_migrations
(version UInt32, name String, applied_at DateTime DEFAULT now())
ENGINE = MergeTree ORDER BY version`,
];

export async function migrateTelemetry(
  store: Pick<TelemetryStore, 'query' | 'command'>,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  for (const sql of META) await store.command(sql);
  const rows = await store.query<{ version: number }>('SELECT version FROM zeroscope.schema_migrations');
  const done = new Set(rows.map((r) => Number(r.version)));
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    // Statements are idempotent (IF NOT EXISTS), so a crash mid-migration is safe to rerun.
    for (const sql of m.statements) await store.command(sql);
    await store.command(
      `INSERT INTO zeroscope.schema_migrations (version, name) VALUES (${m.version}, '${m.name.replace(/['\\]/g, '')}')`,
    );
    applied.push(m.version);
  }
  return applied;
}
