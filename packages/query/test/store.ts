/**
 * Embedded ClickHouse (chDB) with the flow_log tables built from @zeroscope/wire's column list
 * and the flow_tag dictionaries built from @zeroscope/tags' contract, for running compiled SQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DICTIONARIES, dictionaryDdl } from '@zeroscope/tags';
import { type Column, FLOW_LOG_COLUMNS, REQUEST_LOG_COLUMNS } from '@zeroscope/wire/columns';
import { Session } from 'chdb';
import type { CompiledSql } from '../src/index';

const CH_TYPE: Record<Column['type'], string> = {
  u8: 'UInt8',
  u16: 'UInt16',
  u32: 'UInt32',
  u64: 'UInt64',
  i64: 'Int64',
  f64: 'Float64',
  string: 'String',
  lowcard: 'LowCardinality(String)',
  ip: 'IPv6',
  strings: 'Array(String)',
};

// Times as the API stores them (apps/api storage schema); JSON µs integers parse into them.
const TIME_COLUMNS = new Set(['start_time', 'end_time']);
const chType = (c: Column) => (TIME_COLUMNS.has(c.name) ? 'DateTime64(6)' : CH_TYPE[c.type]);

const tableDdl = (name: string, cols: readonly Column[], orderBy: string) =>
  `CREATE TABLE ${name} (${cols.map((c) => `${c.name} ${chType(c)}`).join(', ')}) ENGINE = MergeTree ORDER BY ${orderBy}`;

export interface Store {
  readonly session: Session;
  exec(sql: string): void;
  insert(table: string, rows: readonly Record<string, unknown>[]): void;
  run(q: CompiledSql): unknown[][];
  close(): void;
}

export interface TagRows {
  names: Partial<Record<string, [number, string][]>>;
  custom: Partial<Record<string, [number, string, string][]>>;
}

export function openStore(dir = mkdtempSync(join(tmpdir(), 'zs-query-'))): Store {
  const session = new Session(dir);
  const exec = (sql: string) => void session.query(sql);
  const insert = (table: string, rows: readonly Record<string, unknown>[]) => {
    for (let i = 0; i < rows.length; i += 20_000) {
      const body = rows
        .slice(i, i + 20_000)
        .map((r) => JSON.stringify(r))
        .join('\n');
      session.query(`INSERT INTO ${table} FORMAT JSONEachRow ${body}`);
    }
  };
  exec('CREATE DATABASE IF NOT EXISTS flow_log');
  exec('CREATE DATABASE IF NOT EXISTS flow_tag');
  exec(tableDdl('flow_log.l7_flow_log', REQUEST_LOG_COLUMNS, 'start_time'));
  exec(tableDdl('flow_log.l4_flow_log', FLOW_LOG_COLUMNS, 'end_time'));
  for (const d of DICTIONARIES) {
    const src = `${d.name.split('.')[1]}_src`;
    const cols = [...d.keys, ...d.attributes].map((c) => `${c.name} ${c.type}`).join(', ');
    exec(`CREATE TABLE flow_tag.${src} (${cols}) ENGINE = MergeTree ORDER BY id`);
    exec(dictionaryDdl(d, `CLICKHOUSE(DB 'flow_tag' TABLE '${src}')`, '0'));
  }
  return {
    session,
    exec,
    insert,
    run(q) {
      const out = session.queryBind(q.sql, q.params, 'JSONCompactEachRow');
      return out
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as unknown[]);
    },
    close() {
      session.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fills the dictionary source tables and reloads the dictionaries. */
export function loadTags(store: Store, tags: TagRows): void {
  for (const [kind, rows] of Object.entries(tags.names)) {
    store.insert(
      `flow_tag.${kind}_map_src`,
      (rows ?? []).map(([id, name]) => ({ id, name })),
    );
  }
  for (const [kind, rows] of Object.entries(tags.custom)) {
    store.insert(
      `flow_tag.${kind}_custom_tag_map_src`,
      (rows ?? []).map(([id, key, value]) => ({ id, key, value })),
    );
  }
  store.exec('SYSTEM RELOAD DICTIONARIES');
}
