/**
 * Applies pending SQLite migrations with @libsql/client. SQLite DDL is transactional: the
 * check and every pending migration run in one write transaction, so a failed migration
 * leaves nothing behind and concurrent starts cannot both apply one.
 */
import { createClient } from '@libsql/client';
import { ResourceError } from './errors';
import { loadMigrations, type Migration } from './migrations';

/** Returns the versions it applied (empty when the database was already current). */
export async function migrateSqlite(
  file: string,
  migrations: Migration[] = loadMigrations('sqlite'),
): Promise<string[]> {
  const client = createClient({ url: `file:${file}` });
  try {
    // WAL lets the API read while a write is in flight; the setting persists in the file.
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute(
      'CREATE TABLE IF NOT EXISTS "_zeroscope_migrations" ("version" TEXT NOT NULL PRIMARY KEY, ' +
        '"applied_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)',
    );
    const tx = await client.transaction('write');
    try {
      const rows = await tx.execute('SELECT "version" FROM "_zeroscope_migrations"');
      const done = new Set(rows.rows.map((r) => String(r.version)));
      const applied: string[] = [];
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        for (const [i, stmt] of m.statements.entries()) {
          try {
            await tx.execute(stmt);
          } catch (err) {
            throw new ResourceError(
              'migration_failed',
              `migration ${m.version} failed at statement ${i + 1} of ${m.statements.length}: ${(err as Error).message}`,
              { cause: err },
            );
          }
        }
        await tx.execute({
          sql: 'INSERT INTO "_zeroscope_migrations" ("version") VALUES (?)',
          args: [m.version],
        });
        applied.push(m.version);
      }
      await tx.commit();
      return applied;
    } finally {
      tx.close();
    }
  } finally {
    client.close();
  }
}
