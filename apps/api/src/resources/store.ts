/**
 * The resource store: Prisma over MySQL/MariaDB (server mode, ZEROSCOPE_MYSQL_URL) or SQLite
 * at `${dataDir}/resources.db` (embedded default). Migrations are applied before the client
 * opens (PRODUCT.md §3.4).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../env';
import { type AgentHello, setAgentConfig, upsertAgent } from './agents';
import type { Agent, Db, Prisma } from './db';
import { ResourceError } from './errors';
import { migrateMysql } from './migrateMysql';
import { migrateSqlite } from './migrateSqlite';
import { parseMysqlUrl } from './mysqlUrl';

export interface ResourceStore {
  kind: 'mysql' | 'sqlite';
  db: Db;
  /** migration versions applied while opening (empty when already current) */
  migrated: string[];
  upsertAgent(hello: AgentHello): Promise<Agent>;
  setAgentConfig(id: string, config: Prisma.InputJsonObject): Promise<Agent>;
  close(): Promise<void>;
}

export type { AgentHello } from './agents';
export type { Db } from './db';
export { ResourceError } from './errors';

export async function openResourceStore(env: Pick<Env, 'dataDir' | 'mysqlUrl'>): Promise<ResourceStore> {
  const opened = env.mysqlUrl ? await openMysql(env.mysqlUrl) : await openSqlite(env.dataDir);
  const { db } = opened;
  return {
    ...opened,
    upsertAgent: (hello) => upsertAgent(db, hello),
    setAgentConfig: (id, config) => setAgentConfig(db, id, config),
    close: () => db.$disconnect(),
  };
}

async function openMysql(url: string): Promise<{ kind: 'mysql'; db: Db; migrated: string[] }> {
  const target = parseMysqlUrl(url);
  const migrated = await migrateMysql(target);
  const { PrismaMariaDb } = await import('@prisma/adapter-mariadb');
  const { PrismaClient } = await import('../../generated/prisma/mysql/client');
  const adapter = new PrismaMariaDb({ ...target, connectionLimit: 5 }, { database: target.database });
  const db = new PrismaClient({ adapter });
  await connect(db, `MySQL at ${target.host}:${target.port}/${target.database}`);
  return { kind: 'mysql', db, migrated };
}

async function openSqlite(dataDir: string): Promise<{ kind: 'sqlite'; db: Db; migrated: string[] }> {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'resources.db');
  const migrated = await migrateSqlite(file);
  const { PrismaLibSql } = await import('@prisma/adapter-libsql');
  const { PrismaClient } = await import('../../generated/prisma/sqlite/client');
  const db = new PrismaClient({ adapter: new PrismaLibSql({ url: `file:${file}` }) }) as unknown as Db;
  await connect(db, `SQLite at ${file}`);
  return { kind: 'sqlite', db, migrated };
}

async function connect(db: Db, where: string): Promise<void> {
  try {
    await db.$connect();
  } catch (err) {
    throw new ResourceError(
      'connect_failed',
      `cannot open the resource store (${where}): ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}
