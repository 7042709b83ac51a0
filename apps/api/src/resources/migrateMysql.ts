/**
 * Applies pending MySQL/MariaDB migrations with mysql2. Creates the database when missing.
 * DDL is not transactional in MySQL, so a migration is recorded only after all of its
 * statements ran; a named lock keeps two API processes from migrating at once.
 */
import mysql from 'mysql2/promise';
import { ResourceError } from './errors';
import { loadMigrations, type Migration } from './migrations';
import type { MysqlTarget } from './mysqlUrl';

const LOCK = 'zeroscope_migrate';
const LOCK_WAIT_S = 60;

/** Returns the versions it applied (empty when the database was already current). */
export async function migrateMysql(
  target: MysqlTarget,
  migrations: Migration[] = loadMigrations('mysql'),
): Promise<string[]> {
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
    });
  } catch (err) {
    throw new ResourceError(
      'connect_failed',
      `cannot connect to MySQL at ${target.host}:${target.port} as ${target.user}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  try {
    await conn.query(
      `CREATE DATABASE IF NOT EXISTS \`${target.database}\` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    await conn.query(`USE \`${target.database}\``);
    const [lock] = await conn.query<mysql.RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS got', [
      LOCK,
      LOCK_WAIT_S,
    ]);
    if (lock[0]?.got !== 1)
      throw new ResourceError('migration_failed', `another process holds the migration lock '${LOCK}'`);
    try {
      return await applyPending(conn, migrations);
    } finally {
      await conn.query('SELECT RELEASE_LOCK(?)', [LOCK]);
    }
  } finally {
    await conn.end();
  }
}

async function applyPending(conn: mysql.Connection, migrations: Migration[]): Promise<string[]> {
  await conn.query(
    'CREATE TABLE IF NOT EXISTS `_zeroscope_migrations` (`version` VARCHAR(191) NOT NULL PRIMARY KEY, ' +
      '`applied_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)) DEFAULT CHARACTER SET utf8mb4',
  );
  const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT `version` FROM `_zeroscope_migrations`');
  const done = new Set(rows.map((r) => String(r.version)));
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    for (const [i, stmt] of m.statements.entries()) {
      try {
        await conn.query(stmt);
      } catch (err) {
        throw new ResourceError(
          'migration_failed',
          `migration ${m.version} failed at statement ${i + 1} of ${m.statements.length} ` +
            `(earlier statements stay applied; fix the database by hand): ${(err as Error).message}`,
          { cause: err },
        );
      }
    }
    await conn.query('INSERT INTO `_zeroscope_migrations` (`version`) VALUES (?)', [m.version]);
    applied.push(m.version);
  }
  return applied;
}
