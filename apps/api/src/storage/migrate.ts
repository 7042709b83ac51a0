/** Applies pending ClickHouse migrations in order, recording each in zeroscope.schema_migrations. */
import { ClusterDdl } from './cluster';
import { MIGRATIONS, type Migration } from './migrations';
import type { TelemetryStore } from './types';

const META = [
  'CREATE DATABASE IF NOT EXISTS zeroscope',
  `CREATE TABLE IF NOT EXISTS zeroscope.schema_migrations
(version UInt32, name String, applied_at DateTime DEFAULT now())
ENGINE = MergeTree ORDER BY version`,
];

export interface MigrateOptions {
  /** server mode on a ClickHouse cluster: run the cluster form of every statement (cluster.ts) */
  cluster?: string;
}

/** The statements of the bookkeeping and of each migration, in the form the target runs. */
export function migrationPlan(
  migrations: readonly Migration[],
  opts: MigrateOptions = {},
): { meta: string[]; migrations: { migration: Migration; statements: string[] }[] } {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  if (!opts.cluster)
    return {
      meta: [...META],
      migrations: sorted.map((m) => ({ migration: m, statements: [...m.statements] })),
    };
  // One rewriter over the whole history: a later statement may name a table an earlier one made.
  const ddl = new ClusterDdl(opts.cluster);
  return {
    meta: ddl.rewriteAll(META),
    migrations: sorted.map((m) => ({ migration: m, statements: ddl.rewriteAll(m.statements) })),
  };
}

export async function migrateTelemetry(
  store: Pick<TelemetryStore, 'query' | 'command'>,
  migrations: readonly Migration[] = MIGRATIONS,
  opts: MigrateOptions = {},
): Promise<number[]> {
  const plan = migrationPlan(migrations, opts);
  for (const sql of plan.meta) await store.command(sql);
  const rows = await store.query<{ version: number }>('SELECT version FROM zeroscope.schema_migrations');
  const done = new Set(rows.map((r) => Number(r.version)));
  const applied: number[] = [];
  for (const { migration: m, statements } of plan.migrations) {
    if (done.has(m.version)) continue;
    // Statements are idempotent (IF NOT EXISTS), so a crash mid-migration is safe to rerun.
    for (const sql of statements) await store.command(sql);
    await store.command(
      `INSERT INTO zeroscope.schema_migrations (version, name) VALUES (${m.version}, '${m.name.replace(/['\\]/g, '')}')`,
    );
    applied.push(m.version);
  }
  return applied;
}
