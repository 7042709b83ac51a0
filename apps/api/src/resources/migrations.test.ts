import { describe, expect, it } from 'vitest';
import { loadMigrations, splitStatements } from './migrations';
import { parseMysqlUrl } from './mysqlUrl';

describe('splitStatements', () => {
  it('splits at line-ending semicolons and drops comment lines', () => {
    const sql =
      "-- header; not a statement\nCREATE TABLE a (x TEXT DEFAULT 'a;b');\n\nCREATE INDEX i ON a(x);\n";
    expect(splitStatements(sql)).toEqual(["CREATE TABLE a (x TEXT DEFAULT 'a;b')", 'CREATE INDEX i ON a(x)']);
  });
});

describe('loadMigrations', () => {
  it('finds the same versions for both dialects, in order', () => {
    const mysql = loadMigrations('mysql');
    const sqlite = loadMigrations('sqlite');
    expect(mysql.map((m) => m.version)).toEqual(sqlite.map((m) => m.version));
    expect(mysql[0]?.version).toBe('0001_init');
    // 18 tables; MySQL adds its foreign keys as separate statements, SQLite its indexes.
    expect(mysql[0]!.statements.filter((s) => s.startsWith('CREATE TABLE')).length).toBe(18);
    expect(sqlite[0]!.statements.filter((s) => s.startsWith('CREATE TABLE')).length).toBe(18);
  });
});

describe('parseMysqlUrl', () => {
  it('reads credentials, port and database', () => {
    expect(parseMysqlUrl('mysql://zs:p%40ss@db.internal:3307/obs')).toEqual({
      host: 'db.internal',
      port: 3307,
      user: 'zs',
      password: 'p@ss',
      database: 'obs',
    });
  });
  it('defaults the database, port and user', () => {
    expect(parseMysqlUrl('mariadb://127.0.0.1')).toMatchObject({
      port: 3306,
      user: 'root',
      database: 'zeroscope',
    });
  });
  it('rejects other schemes and unsafe database names with a clear error', () => {
    expect(() => parseMysqlUrl('postgres://x/y')).toThrow(/mysql:\/\//);
    expect(() => parseMysqlUrl('mysql://x/a`b')).toThrow(/unusable database/);
    expect(() => parseMysqlUrl('not a url')).toThrow(/not a URL/);
  });
});
