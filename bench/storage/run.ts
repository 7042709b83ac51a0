/**
 * Storage benchmark (PRODUCT.md §4: <= 40 bytes/row for request logs on realistic data;
 * int-encoded tags >= 4x smaller than string tags). The same fleet's request logs go into
 * `flow_log.l7_flow_log` (int tag ids, as ingest writes them) and, decoded through the
 * flow_tag dictionaries, into two copies whose tag columns hold the names instead: String
 * and LowCardinality(String). Parts are merged before measuring. Insert rows/s: the request-log
 * layout before and after migration 016 side by side, then bench/ingest/storage.ts (the
 * store's insert paths) on the same records.
 *
 * Run: npx tsx bench/storage/run.ts [rows]   (default 1,000,000)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import {
  createTableSql,
  L7_FLOW_LOG,
  L7_ORDER_BY,
  openTelemetryStore,
  type TelemetryStore,
} from '@zeroscope/api/storage';
import {
  AUTO_TYPE,
  AUTO_TYPE_RESOURCE,
  nameDictionary,
  nameLookupSql,
  type ResourceKind,
} from '@zeroscope/tags';
import { decodeBatch, encodeBatch } from '@zeroscope/wire/codec';
import { type Column, REQUEST_LOG_COLUMNS, TAG_ID_NAMES } from '@zeroscope/wire/columns';
import { benchStorage } from '../ingest/storage';
import { buildFleet, fleetRequestLogs } from './model';

const n = Number(process.argv[2] ?? 1_000_000);
const fmt = (x: number) => x.toLocaleString('en-US');
const INT_TABLE = 'flow_log.l7_flow_log';

/** Tag id columns that stand for a name (resource ids and the auto tags; not the type codes). */
const NAMED = TAG_ID_NAMES.filter((t) => !t.endsWith('_type'));
const stem = (t: string) => t.replace(/_id$/, '');
const isTagId = (c: string) => TAG_ID_NAMES.some((t) => c === `${t}_0` || c === `${t}_1`);

/** The name a tag id column decodes to (what a string-tag schema would store). */
function nameSql(tag: string, end: 0 | 1): string {
  const kind = stem(tag);
  if (kind !== 'auto_instance' && kind !== 'auto_service')
    return nameLookupSql(kind as ResourceKind, `${tag}_${end}`);
  const arms: string[] = [];
  for (const [ty, res] of Object.entries(AUTO_TYPE_RESOURCE))
    arms.push(
      `${kind}_type_${end} = ${AUTO_TYPE[ty as keyof typeof AUTO_TYPE]}`,
      nameLookupSql(res, `${kind}_id_${end}`),
    );
  return `multiIf(${arms.join(', ')}, replaceRegexpOne(toString(ip_${end}), '^::ffff:', ''))`;
}

async function makeStringCopy(store: TelemetryStore, name: string, type: 'string' | 'lowcard') {
  const columns: Column[] = REQUEST_LOG_COLUMNS.map((c) => {
    const m = /^(.*)_([01])$/.exec(c.name);
    if (m && isTagId(c.name) && NAMED.includes(m[1] as never))
      return { name: `${stem(m[1]!)}_${m[2]}`, type };
    return c;
  });
  await store.command('CREATE DATABASE IF NOT EXISTS bench');
  await store.command(
    createTableSql({
      database: 'bench',
      name,
      columns,
      // the request-log table's own key, over the names instead of the ids
      orderBy: L7_ORDER_BY.map((k) => k.replace(/^(auto_\w+)_id_([01])$/, '$1_$2')),
      partitionBy: 'toStartOfHour(start_time)',
      ttl: { column: 'start_time', days: 7 },
      bloomFilters: ['trace_id', 'x_request_id_0', 'x_request_id_1', 'request_resource', 'endpoint'],
    }),
  );
  const select = columns.map((c, i) => {
    const orig = REQUEST_LOG_COLUMNS[i]!.name;
    if (c.name === orig) return `\`${orig}\``;
    const m = /^(.*)_([01])$/.exec(orig)!;
    return `${nameSql(m[1]!, Number(m[2]) as 0 | 1)} AS \`${c.name}\``;
  });
  await store.command(`INSERT INTO bench.${name} SELECT ${select.join(', ')} FROM ${INT_TABLE}`);
  await mergeWide(store, `bench.${name}`);
}

/** One merged Wide part (Compact parts keep no per-column sizes), as a day's data would be. */
async function mergeWide(store: TelemetryStore, table: string) {
  await store.command(`ALTER TABLE ${table} MODIFY SETTING min_bytes_for_wide_part = 0`);
  await store.command(`OPTIMIZE TABLE ${table} FINAL`);
}

interface Size {
  rows: number;
  bytes: number;
  tagBytes: number;
}

async function sizeOf(store: TelemetryStore, table: string, tagColumns: string[]): Promise<Size> {
  const [db, t] = table.split('.');
  const [p] = await store.query<{ rows: number; bytes: number }>(
    `SELECT sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts WHERE active AND database = '${db}' AND table = '${t}'`,
  );
  const [c] = await store.query<{ b: number }>(
    `SELECT sum(data_compressed_bytes) AS b FROM system.columns WHERE database = '${db}' AND table = '${t}' AND name IN (${tagColumns.map((x) => `'${x}'`).join(', ')})`,
  );
  return { rows: Number(p!.rows), bytes: Number(p!.bytes), tagBytes: Number(c!.b) };
}

/**
 * Insert rows/s of the request-log layout before (migration 002: ZSTD, service/protocol key)
 * and after migration 016 (T64 integers, service/instance/caller key): the same batch into
 * each, alternating, so load from other processes hits both alike.
 */
async function insertAB(store: TelemetryStore, rows: readonly object[]) {
  await store.command(createTableSql({ ...L7_FLOW_LOG, database: 'bench', name: 'l7_002' }));
  await store.command(`CREATE TABLE bench.l7_016 AS ${INT_TABLE}`);
  // the copy took the Wide-part setting mergeWide() gave the measured table: back to inserts' own
  await store.command('ALTER TABLE bench.l7_016 MODIFY SETTING min_bytes_for_wide_part = 134217728');
  const payload = encodeBatch(REQUEST_LOG_COLUMNS, rows as Record<string, unknown>[]);
  const secs = { 'bench.l7_002': 0, 'bench.l7_016': 0 };
  const rounds = 6;
  for (let r = 0; r < rounds; r++)
    for (const t of r % 2
      ? (['bench.l7_016', 'bench.l7_002'] as const)
      : (['bench.l7_002', 'bench.l7_016'] as const)) {
      const res = decodeBatch(REQUEST_LOG_COLUMNS, payload);
      if (!res.ok) throw res.error;
      const t0 = performance.now();
      await store.insert(t, res.batch);
      secs[t] += (performance.now() - t0) / 1000;
    }
  const rate = (t: keyof typeof secs) => Math.round((rows.length * rounds) / secs[t]);
  console.log(
    `\n2. insert rows/s (store.insert, ${fmt(rows.length)}-row batches, ${rounds} each, alternating)`,
  );
  console.log(
    `   layout of migration 002 (ZSTD, service/protocol key)        ${fmt(rate('bench.l7_002')).padStart(10)} rows/s`,
  );
  console.log(
    `   layout of migration 016 (T64+ZSTD, service/instance/caller)  ${fmt(rate('bench.l7_016')).padStart(10)} rows/s  (x${(rate('bench.l7_016') / rate('bench.l7_002')).toFixed(2)})`,
  );
}

const dir = mkdtempSync(join(os.tmpdir(), 'zs-bench-storage-'));
console.log(
  `storage bench: ${fmt(n)} request logs, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}, node ${process.version}\n`,
);
const fleet = buildFleet();
const records = fleetRequestLogs(fleet, n);
const store = await openTelemetryStore({ dataDir: dir, clickhouseUrl: undefined });
try {
  for (let i = 0; i < records.length; i += 100_000) {
    const res = decodeBatch(
      REQUEST_LOG_COLUMNS,
      encodeBatch(REQUEST_LOG_COLUMNS, records.slice(i, i + 100_000) as unknown as Record<string, unknown>[]),
    );
    if (!res.ok) throw res.error;
    await store.insert(INT_TABLE, res.batch);
  }
  await mergeWide(store, INT_TABLE);
  for (const [kind, list] of fleet.names) {
    const values = list.map(([id, name]) => `(${id}, '${name}')`).join(', ');
    await store.command(`INSERT INTO ${nameDictionary(kind)}_src (id, name) VALUES ${values}`);
  }
  await store.command('SYSTEM RELOAD DICTIONARIES');
  await makeStringCopy(store, 'l7_string_tags', 'string');
  await makeStringCopy(store, 'l7_lowcard_tags', 'lowcard');

  const intTags = NAMED.flatMap((t) => [`${t}_0`, `${t}_1`]);
  const strTags = NAMED.flatMap((t) => [`${stem(t)}_0`, `${stem(t)}_1`]);
  const int = await sizeOf(store, INT_TABLE, intTags);
  const str = await sizeOf(store, 'bench.l7_string_tags', strTags);
  const low = await sizeOf(store, 'bench.l7_lowcard_tags', strTags);
  for (const s of [int, str, low]) if (s.rows !== n) throw new Error(`expected ${n} rows, found ${s.rows}`);
  const perRow = (b: number) => (b / n).toFixed(2);
  console.log(
    `1. bytes per request-log row on disk (${NAMED.length * 2} tag columns: both ends' resources + auto tags)`,
  );
  console.log(`   ${'schema'.padEnd(36)} ${'whole row'.padStart(12)} ${'tag columns'.padStart(12)}`);
  for (const [label, s] of [
    ['int tag ids (flow_log.l7_flow_log)', int],
    ['string tags: String', str],
    ['string tags: LowCardinality(String)', low],
  ] as const)
    console.log(
      `   ${label.padEnd(36)} ${`${perRow(s.bytes)} B`.padStart(12)} ${`${perRow(s.tagBytes)} B`.padStart(12)}`,
    );
  console.log(
    `   int vs String tags:          tag columns ${(str.tagBytes / int.tagBytes).toFixed(1)}x smaller, whole row ${(str.bytes / int.bytes).toFixed(2)}x  (target >= 4x)`,
  );
  console.log(
    `   int vs LowCardinality tags:  tag columns ${(low.tagBytes / int.tagBytes).toFixed(1)}x smaller, whole row ${(low.bytes / int.bytes).toFixed(2)}x`,
  );
  console.log(`   int-tag row: ${perRow(int.bytes)} B/row (target <= 40 B/row)`);
  if (process.env.COLUMNS_DETAIL) {
    const cols = await store.query<{ name: string; b: number }>(
      `SELECT name, data_compressed_bytes AS b FROM system.columns WHERE database = 'flow_log' AND table = 'l7_flow_log' ORDER BY b DESC LIMIT 25`,
    );
    for (const c of cols) console.log(`      ${c.name.padEnd(28)} ${perRow(Number(c.b)).padStart(7)} B/row`);
    const idx = await store.query<{ name: string; b: number }>(
      `SELECT name, data_compressed_bytes AS b FROM system.data_skipping_indices WHERE database = 'flow_log' AND table = 'l7_flow_log' ORDER BY b DESC`,
    );
    for (const c of idx)
      console.log(`      index ${c.name.padEnd(22)} ${perRow(Number(c.b)).padStart(7)} B/row`);
  }
  await insertAB(store, records.slice(0, 100_000));
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

console.log('\n3. insert paths into embedded chDB (bench/ingest/storage.ts, same records)');
for (const s of await benchStorage(records.slice(0, Math.min(n, 300_000))))
  console.log(`   ${s.name.padEnd(52)} ${fmt(s.rowsPerSec).padStart(10)} rows/s`);
