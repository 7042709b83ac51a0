/** Applies pending ClickHouse migrations in order, recording each in zeroscope.schema_migrations. */
import { ClusterDdl } from './cluster';
import { MIGRATIONS, type Migration } from './migrations';
import { dictionariesWithCredentials } from './migrations/003_flow_tag';
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
  /** server mode: the API's ClickHouse login, which the flow_tag dictionaries read their sources with */
  credentials?: { user: string; password: string };
}

export interface MigrationPlan {
  meta: string[];
  migrations: { migration: Migration; statements: string[] }[];
  /** run at every start, after the migrations */
  always: string[];
}

/** Statements run at every start (see dictionariesWithCredentials). */
function always(opts: MigrateOptions): string[] {
  return opts.credentials
    ? dictionariesWithCredentials(opts.credentials.user, opts.credentials.password)
    : [];
}

/** The statements of the bookkeeping and of each migration, in the form the target runs. */
export function migrationPlan(migrations: readonly Migration[], opts: MigrateOptions = {}): MigrationPlan {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  if (!opts.cluster)
    return {
      meta: [...META],
      migrations: sorted.map((m) => ({ migration: m, statements: [...m.statements] })),
      always: always(opts),
    };
  // One rewriter over the whole history: a later statement may name a table an earlier one made.
  const ddl = new ClusterDdl(opts.cluster);
  return {
    meta: ddl.rewriteAll(META),
    migrations: sorted.map((m) => ({ migration: m, statements: ddl.rewriteAll(m.statements) })),
    always: ddl.rewriteAll(always(opts)),
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
  for (const sql of plan.always) await store.command(sql);
  return applied;
}
