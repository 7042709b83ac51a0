/**
 * Keeps the flow_tag dictionaries fresh (PRODUCT.md §2.5): their ClickHouse source tables
 * `flow_tag.<dictionary>_src` (storage migration 003, ReplacingMergeTree by key) receive
 * the rows that changed since the last sync, duplicates are merged away, and the
 * dictionaries reload. The same path serves embedded chDB and a server, so the dictionary
 * names packages/query reads never change. Runs when recording marked the store dirty, at
 * most every `intervalMs` (default 5 s), well inside the 60 s freshness bound.
 */
import type { Db } from '../resources/db';
import type { TelemetryStore } from '../storage/types';
import { readTagRows, type TagRows } from './tag-rows';

export interface TagSyncOptions {
  db: Db;
  telemetry: Pick<TelemetryStore, 'command' | 'query'>;
  intervalMs?: number;
  log?: (line: string) => void;
}

export interface TagSyncStats {
  syncs: number;
  rowsWritten: number;
  /** rows deleted from source tables (custom tags removed, resources forgotten) */
  rowsDeleted: number;
  errors: number;
  lastSyncAt: number;
}

const INSERT_CHUNK = 20_000;
const DELETE_CHUNK = 2_000;

export class TagSync {
  readonly stats: TagSyncStats = { syncs: 0, rowsWritten: 0, rowsDeleted: 0, errors: 0, lastSyncAt: 0 };
  private synced: TagRows = new Map();
  private dirty = true;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: TagSyncOptions) {}

  start(): void {
    this.timer ??= setInterval(() => {
      if (this.dirty) void this.sync();
    }, this.opts.intervalMs ?? 5000);
    this.timer.unref();
    void this.sync();
  }

  markDirty(): void {
    this.dirty = true;
  }

  /** One sync now (or joins the running one); resolves when the dictionaries reloaded. */
  sync(): Promise<void> {
    if (this.running) return this.running.then(() => (this.dirty ? this.sync() : undefined));
    this.dirty = false;
    this.running = this.run()
      .catch((err: Error) => {
        this.dirty = true;
        this.stats.errors++;
        this.opts.log?.(`tag sync failed: ${err.message}`);
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async run(): Promise<void> {
    const { telemetry } = this.opts;
    const want = await readTagRows(this.opts.db);
    for (const [dict, rows] of want) {
      const src = `${dict}_src`;
      // After a start nothing is known about the source table: its keys tell what to delete.
      const had = this.synced.get(dict) ?? (await this.storedKeys(src, dict));
      const changed: Record<string, string | number>[] = [];
      for (const [k, row] of rows) {
        const old = had.get(k);
        if (!old || JSON.stringify(old) !== JSON.stringify(row)) changed.push(row);
      }
      const gone = [...had.keys()].filter((k) => !rows.has(k));
      if (changed.length === 0 && gone.length === 0) {
        this.synced.set(dict, rows);
        continue;
      }
      for (let i = 0; i < changed.length; i += INSERT_CHUNK) {
        const body = changed
          .slice(i, i + INSERT_CHUNK)
          .map((r) => JSON.stringify(r))
          .join('\n');
        await telemetry.command(`INSERT INTO ${src} FORMAT JSONEachRow\n${body}`);
      }
      for (let i = 0; i < gone.length; i += DELETE_CHUNK)
        await telemetry.command(
          `DELETE FROM ${src} WHERE ${keyPredicate(dict, gone.slice(i, i + DELETE_CHUNK))}`,
        );
      // A dictionary reads its source without FINAL: merge replaced rows before reloading.
      await telemetry.command(`OPTIMIZE TABLE ${src} FINAL`);
      await telemetry.command(`SYSTEM RELOAD DICTIONARY ${dict}`);
      this.synced.set(dict, rows);
      this.stats.rowsWritten += changed.length;
      this.stats.rowsDeleted += gone.length;
    }
    this.stats.syncs++;
    this.stats.lastSyncAt = Date.now();
  }

  /** Keys present in a source table (as TagRows keys); values unknown, so every row re-syncs. */
  private async storedKeys(src: string, dict: string): Promise<Map<string, Record<string, string | number>>> {
    const custom = isCustom(dict);
    const rows = await this.opts.telemetry.query<{ id: number | string; key?: string }>(
      `SELECT DISTINCT id${custom ? ', key' : ''} FROM ${src}`,
    );
    const out = new Map<string, Record<string, string | number>>();
    for (const r of rows) out.set(custom ? `${r.id}\u0000${r.key}` : String(r.id), {});
    return out;
  }
}

const isCustom = (dict: string) => dict.endsWith('_custom_tag_map');

/** A ClickHouse string literal; keys come from agents, so every byte is escaped. */
const literal = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** `id IN (...)` or `(id, key) IN (...)` over TagRows keys (see tag-rows.ts). */
export function keyPredicate(dict: string, keys: readonly string[]): string {
  if (!isCustom(dict)) return `id IN (${keys.map((k) => String(Number(k))).join(', ')})`;
  const tuples = keys.map((k) => {
    const at = k.indexOf('\u0000');
    return `(${Number(k.slice(0, at))}, ${literal(k.slice(at + 1))})`;
  });
  return `(id, key) IN (${tuples.join(', ')})`;
}
