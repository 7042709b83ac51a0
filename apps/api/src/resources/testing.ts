/**
 * Test support: a throwaway MariaDB database on 127.0.0.1:3306 (root, no password), starting
 * the local server first when it is installed but not running (PLATFORM.md).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';

const HOST = '127.0.0.1';
const PORT = 3306;

function portOpen(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port: PORT, host: HOST });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(500, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** Resolves to undefined when MariaDB is reachable, else to why it is not. */
export async function ensureMariadb(): Promise<string | undefined> {
  if (await portOpen()) return undefined;
  if (!existsSync('/usr/sbin/mariadbd'))
    return 'MariaDB is not installed (apt-get install -y mariadb-server)';
  if (!existsSync('/var/lib/mysql/mysql'))
    spawnSync('sh', ['-c', 'mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null 2>&1']);
  spawnSync('sh', ['-c', 'mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null; true']);
  spawnSync('start-stop-daemon', ['--start', '--oknodo', '--background', '--exec', '/usr/sbin/mariadbd']);
  for (let i = 0; i < 60; i++) {
    if (await portOpen()) {
      // A fresh install admits root only over the unix socket; tests log in over TCP without a password.
      spawnSync('sh', [
        '-c',
        `mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('')" >/dev/null 2>&1`,
      ]);
      return undefined;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return 'MariaDB did not start listening on 127.0.0.1:3306';
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database name; the migrator creates it. drop() removes it. */
export function testDatabase(prefix = 'zs_test'): TestDatabase {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  return {
    name,
    url: `mysql://root@${HOST}:${PORT}/${name}`,
    async drop() {
      const conn = await mysql.createConnection({ host: HOST, port: PORT, user: 'root' });
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}

/** Where a test's resource store lives: SQLite in a temp dir, or a throwaway MariaDB database. */
export interface TestBackend {
  name: 'sqlite' | 'mysql';
  /** why this backend can't run here, if it can't */
  unavailable: string | undefined;
  setup(): Promise<{ dataDir: string; mysqlUrl: string | undefined }>;
  teardown(): Promise<void>;
}

/** Both backends; MariaDB is started when installed, and reported unavailable otherwise. */
export async function testBackends(): Promise<TestBackend[]> {
  const mariadbMissing = await ensureMariadb();
  const tempDirs: string[] = [];
  const temp = () => {
    const d = mkdtempSync(join(tmpdir(), 'zs-resources-'));
    tempDirs.push(d);
    return d;
  };
  const cleanup = () => {
    for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
  };
  const databases: TestDatabase[] = [];
  return [
    {
      name: 'sqlite',
      unavailable: undefined,
      setup: async () => ({ dataDir: temp(), mysqlUrl: undefined }),
      teardown: async () => cleanup(),
    },
    {
      name: 'mysql',
      unavailable: mariadbMissing,
      async setup() {
        const db = testDatabase();
        databases.push(db);
        return { dataDir: temp(), mysqlUrl: db.url };
      },
      async teardown() {
        for (const db of databases.splice(0)) await db.drop();
        cleanup();
      },
    },
  ];
}
