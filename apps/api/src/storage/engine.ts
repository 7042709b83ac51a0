/**
 * The ClickHouse side of the telemetry store, run inside the storage worker thread:
 * `@clickhouse/client` over HTTP (server mode) or over an in-process chDB connection
 * (embedded mode). Embedded inserts hand the decoded columns to chDB from memory as Arrow
 * arrays (arrow.ts); what Arrow cannot carry is staged as a Native file and read with
 * `INSERT ... SELECT FROM file()`. Both parse in chDB's native code, never through SQL text.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import type { ColumnBatch } from '@zeroscope/wire/codec';
import { Arena } from './arena';
import { type ArrowColumn, type ArrowInsert, arrowInsert } from './arrow';
import { encodeNative, nativeColumnList } from './native';

/** The part of chdb's Session (and its Arrow registration) that embedded inserts use. */
interface ChdbSession {
  connection: unknown;
  queryAsync(sql: string, opts?: { format?: string }): Promise<unknown>;
  close(): void;
}
interface ChdbModule {
  Session: new (path: string) => ChdbSession;
  _arrowRegisterColumns(connection: unknown, name: string, columns: ArrowColumn[]): void;
  _arrowUnregister(connection: unknown, name: string): void;
}

export interface PreparedInsert {
  rows: number;
  sql: string;
  /** server mode: the Native body sent with the statement */
  body?: Buffer;
  /** embedded mode: the staged Native file, removed after the insert */
  file?: string;
  /** embedded mode: the columns to register with chDB, and the INSERT for a table name */
  arrow?: ArrowInsert;
  /** embedded mode: the memory of the Arrow columns, reused once the insert has run */
  arena?: Arena;
  table?: string;
}

export interface EngineOptions {
  clickhouseUrl?: string;
  dataDir: string;
}

// 64-bit integers as JSON numbers on both runtimes (chDB's default; every value we store is < 2^53).
const SETTINGS = { output_format_json_quote_64bit_integers: 0 } as const;

const TABLE_RE = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;

export class Engine {
  readonly mode: 'embedded' | 'server';
  private readonly client: ClickHouseClient;
  private readonly stagingDir: string;
  /** embedded mode: a second connection to the same chDB directory, for Arrow inserts */
  private readonly chdb: { mod: ChdbModule; session: ChdbSession } | undefined;
  private seq = 0;
  /** arenas of inserts that have run (at most two: one insert runs while the next is prepared) */
  private readonly arenas: Arena[] = [];

  private constructor(
    client: ClickHouseClient,
    mode: 'embedded' | 'server',
    stagingDir: string,
    chdb?: { mod: ChdbModule; session: ChdbSession },
  ) {
    this.client = client;
    this.mode = mode;
    this.stagingDir = stagingDir;
    this.chdb = chdb;
  }

  static async open(opts: EngineOptions): Promise<Engine> {
    if (opts.clickhouseUrl) {
      const client = createClient({
        url: opts.clickhouseUrl,
        request_timeout: 120_000,
        clickhouse_settings: SETTINGS,
      });
      const engine = new Engine(client, 'server', '');
      await engine.command('SELECT 1');
      return engine;
    }
    const dir = join(opts.dataDir, 'chdb');
    const stagingDir = join(opts.dataDir, 'chdb-staging');
    mkdirSync(dir, { recursive: true });
    rmSync(stagingDir, { recursive: true, force: true });
    mkdirSync(stagingDir, { recursive: true });
    const { createChdbConnection } = await import('chdb/connection');
    const client = createClient({
      connection: createChdbConnection({ path: dir }),
      clickhouse_settings: SETTINGS,
    } as Parameters<typeof createClient>[0]);
    // chDB allows several connections to one directory (they share the engine).
    const mod = createRequire(import.meta.url)('chdb') as ChdbModule;
    const engine = new Engine(client, 'embedded', stagingDir, { mod, session: new mod.Session(dir) });
    await engine.command('SELECT 1');
    return engine;
  }

  /**
   * Encodes (and in embedded mode stages) an insert. Synchronous on purpose: the worker
   * prepares the next insert while chDB is still writing the previous one.
   */
  prepare(table: string, batches: readonly ColumnBatch[], opts: { native?: boolean } = {}): PreparedInsert {
    if (!TABLE_RE.test(table)) throw new Error(`invalid table name '${table}'`);
    const rows = batches.reduce((n, b) => n + b.rows, 0);
    if (rows === 0) return { rows, sql: '' };
    if (this.chdb && !opts.native) {
      const arena = this.arenas.pop() ?? new Arena();
      const arrow = arrowInsert(batches, arena);
      if (arrow) return { rows, sql: '', arrow, arena, table };
      this.release(arena);
    }
    const body = encodeNative(batches);
    const cols = nativeColumnList(batches[0]!.columns);
    if (this.mode === 'server') return { rows, sql: `INSERT INTO ${table} (${cols}) FORMAT Native`, body };
    const file = join(this.stagingDir, `${process.pid}-${++this.seq}.native`);
    writeFileSync(file, body);
    return { rows, sql: `INSERT INTO ${table} (${cols}) SELECT * FROM file('${file}', 'Native')`, file };
  }

  async run(p: PreparedInsert): Promise<number> {
    if (p.rows === 0) return 0;
    if (p.arrow) {
      const { mod, session } = this.chdb!;
      const name = `zs_insert_${process.pid}_${++this.seq}`;
      mod._arrowRegisterColumns(session.connection, name, p.arrow.columns);
      try {
        await session.queryAsync(`INSERT INTO ${p.table} ${p.arrow.body(name)}`);
      } finally {
        mod._arrowUnregister(session.connection, name);
        if (p.arena) this.release(p.arena);
      }
      return p.rows;
    }
    try {
      if (p.body) await this.client.exec({ query: p.sql, values: Readable.from([p.body]) });
      else await this.client.command({ query: p.sql });
    } finally {
      if (p.file) rmSync(p.file, { force: true });
    }
    return p.rows;
  }

  private release(arena: Arena): void {
    arena.reset();
    if (this.arenas.length < 2) this.arenas.push(arena);
  }

  async insert(table: string, batches: readonly ColumnBatch[]): Promise<number> {
    return this.run(this.prepare(table, batches));
  }

  async query(
    sql: string,
    params?: Record<string, unknown>,
    opts: { signal?: AbortSignal; queryId?: string } = {},
  ): Promise<unknown[]> {
    const rs = await this.client.query({
      query: sql,
      query_params: params,
      format: 'JSONEachRow',
      abort_signal: opts.signal,
      query_id: opts.queryId,
    });
    return rs.json();
  }

  /**
   * Server mode: stops a running query by id (runs beside the worker's serial chain, on its
   * own HTTP request). Embedded chDB has no interrupt, so this is a no-op there.
   */
  async kill(queryId: string): Promise<void> {
    if (this.mode !== 'server') return;
    await this.client.command({
      query: 'KILL QUERY WHERE query_id = {id:String} ASYNC',
      query_params: { id: queryId },
    });
  }

  async command(sql: string): Promise<void> {
    await this.client.command({ query: sql });
  }

  async close(): Promise<void> {
    this.chdb?.session.close();
    await this.client.close();
  }
}
