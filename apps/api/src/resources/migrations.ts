/**
 * SQL migration files under prisma/migrations/<dialect>/NNNN_name.sql (PRODUCT.md §3.4:
 * Prisma can't run migrations offline here, so the API applies these itself).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Dialect = 'mysql' | 'sqlite';

export interface Migration {
  /** file name without `.sql`, e.g. `0001_init`; applied in this order */
  version: string;
  statements: string[];
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../../prisma/migrations', import.meta.url));

/**
 * Splits a migration into statements. Invariant of the migration files: `;` ends a statement
 * only at the end of a line, and `--` starts a comment only at the start of a line.
 */
export function splitStatements(sql: string): string[] {
  const body = sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n');
  return body
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function loadMigrations(dialect: Dialect, dir: string = MIGRATIONS_DIR): Migration[] {
  const folder = join(dir, dialect);
  return readdirSync(folder)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: f.slice(0, -'.sql'.length),
      statements: splitStatements(readFileSync(join(folder, f), 'utf8')),
    }));
}
