/**
 * Insert paths into embedded chDB through the telemetry store: the Arrow columns the store
 * hands chDB from memory (the Native block encoder, kept for server mode and string lists, is
 * timed alone), against inline JSONEachRow (what a plain client insert does), same rows, same table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNative, openTelemetryStore } from '@zeroscope/api/storage';
import { type ColumnBatch, decodeBatch, encodeBatch } from '@zeroscope/wire/codec';
import { REQUEST_LOG_COLUMNS } from '@zeroscope/wire/columns';
import type { RequestLog } from '@zeroscope/wire/records';

export interface StorageResult {
  name: string;
  rowsPerSec: number;
}

export async function benchStorage(records: RequestLog[], insertRows = 100_000): Promise<StorageResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'zs-bench-store-'));
  const store = await openTelemetryStore({ dataDir: dir, clickhouseUrl: undefined });
  try {
    const payloads: Uint8Array[] = [];
    for (let i = 0; i < records.length; i += insertRows)
      payloads.push(
        encodeBatch(
          REQUEST_LOG_COLUMNS,
          records.slice(i, i + insertRows) as unknown as Record<string, unknown>[],
        ),
      );
    // insert() moves a batch's arrays to the storage thread, so every insert gets a fresh decode.
    const decode = (): ColumnBatch[] =>
      payloads.map((p) => {
        const r = decodeBatch(REQUEST_LOG_COLUMNS, p);
        if (!r.ok) throw r.error;
        return r.batch;
      });
    const out: StorageResult[] = [];

    let chunks = decode();
    let t = performance.now();
    for (const c of chunks) encodeNative([c]);
    out.push({
      name: 'Native block encode (JS; server mode)',
      rowsPerSec: Math.round(records.length / ((performance.now() - t) / 1000)),
    });

    await store.insert('flow_log.l7_flow_log', decode()[0]!); // warm-up
    chunks = decode();
    t = performance.now();
    for (const c of chunks) await store.insert('flow_log.l7_flow_log', c);
    out.push({
      name: `store.insert: Arrow columns -> chDB (${insertRows} rows/insert)`,
      rowsPerSec: Math.round(records.length / ((performance.now() - t) / 1000)),
    });

    const cols = REQUEST_LOG_COLUMNS.map((c) => c.name);
    const jsonRows = records.slice(0, insertRows).map((r) => {
      const o: Record<string, unknown> = {};
      for (const c of cols) o[c] = (r as unknown as Record<string, unknown>)[c] ?? 0;
      const dt = (us: number) =>
        `${new Date(us / 1000).toISOString().slice(0, 23).replace('T', ' ')}${String(us % 1000).padStart(3, '0')}`;
      o.start_time = dt(r.start_time);
      o.end_time = dt(r.end_time);
      return JSON.stringify(o);
    });
    t = performance.now();
    await store.command(
      `INSERT INTO flow_log.l7_flow_log (${cols.join(', ')}) FORMAT JSONEachRow\n${jsonRows.join('\n')}`,
    );
    out.push({
      name: `inline JSONEachRow -> chDB (${insertRows} rows/insert)`,
      rowsPerSec: Math.round(jsonRows.length / ((performance.now() - t) / 1000)),
    });
    return out;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
