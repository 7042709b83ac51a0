import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBatch, encodeBatch } from '@zeroscope/wire/codec';
import { FLOW_LOG_COLUMNS, REQUEST_LOG_COLUMNS } from '@zeroscope/wire/columns';
import { sampleFlowLogs, sampleRequestLogs } from '@zeroscope/wire/sample';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_COLUMNS } from '../src/storage/schema';
import { openTelemetryStore, type TelemetryStore } from '../src/storage/telemetry';

function decoded(columns: typeof REQUEST_LOG_COLUMNS, recs: object[]) {
  const res = decodeBatch(columns, encodeBatch(columns, recs as Record<string, unknown>[]));
  if (!res.ok) throw res.error;
  return res.batch;
}

describe('telemetry store on embedded chDB', () => {
  let dir: string;
  let store: TelemetryStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zs-storage-'));
    store = await openTelemetryStore({ dataDir: dir, clickhouseUrl: undefined });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies the migrations once and records them', async () => {
    expect(store.mode).toBe('embedded');
    const rows = await store.query<{ version: number }>(
      'SELECT version FROM zeroscope.schema_migrations ORDER BY version',
    );
    const { MIGRATIONS } = await import('../src/storage/migrations');
    expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
    const dbs = await store.query<{ name: string }>(
      "SELECT name FROM system.databases WHERE name IN ('flow_log','flow_metrics','profile','event','prometheus','flow_tag') ORDER BY name",
    );
    expect(dbs.map((d) => d.name)).toEqual([
      'event',
      'flow_log',
      'flow_metrics',
      'flow_tag',
      'profile',
      'prometheus',
    ]);
  });

  it('inserts request logs and reads back every field', async () => {
    const recs = sampleRequestLogs(5000, 11);
    await store.insert('flow_log.l7_flow_log', decoded(REQUEST_LOG_COLUMNS, recs));
    const [c] = await store.query<{ n: string }>('SELECT count() n FROM flow_log.l7_flow_log');
    expect(Number(c!.n)).toBe(5000);
    const want = recs[1234]!;
    const [row] = await store.query<Record<string, unknown>>(
      `SELECT toUnixTimestamp64Micro(start_time) st, endpoint, request_resource, ip_0, ip_1, response_code,
              l7_protocol, req_tcp_seq, auto_service_id_1, attribute_names
       FROM flow_log.l7_flow_log WHERE syscall_trace_id_request = {id:UInt64}`,
      { id: want.syscall_trace_id_request },
    );
    expect(row).toMatchObject({
      endpoint: want.endpoint,
      request_resource: want.request_resource,
      ip_0: `::ffff:${want.ip_0}`,
      ip_1: `::ffff:${want.ip_1}`,
      response_code: want.response_code,
      l7_protocol: 'http1',
      req_tcp_seq: want.req_tcp_seq,
      auto_service_id_1: want.auto_service_id_1,
      attribute_names: [],
    });
    expect(Number(row!.st)).toBe(want.start_time);
  });

  it('inserts several flow-log batches as one write, with ingest columns', async () => {
    const a = decoded(FLOW_LOG_COLUMNS, sampleFlowLogs(100, 1));
    const b = decoded(FLOW_LOG_COLUMNS, sampleFlowLogs(50, 2));
    const tag = (batch: typeof a, n: number) => ({
      ...batch,
      columns: [...batch.columns, ...INGEST_COLUMNS],
      data: [...batch.data, { kind: 'const' as const, value: 7 }, { kind: 'const' as const, value: n }],
    });
    await store.insert('flow_log.l4_flow_log', [tag(a, 1), tag(b, 2)]);
    const rows = await store.query<{ _batch: string; n: string; v6: string }>(
      "SELECT _batch, count() n, countIf(ip_1 = toIPv6('fd00::1')) v6 FROM flow_log.l4_flow_log GROUP BY _batch ORDER BY _batch",
    );
    expect(rows).toEqual([
      { _batch: 1, n: 100, v6: 20 },
      { _batch: 2, n: 50, v6: 10 },
    ]);
  });

  it('reports a bad statement as a StorageError and keeps working', async () => {
    await expect(store.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: 'query_failed' });
    const [r] = await store.query<{ x: number }>('SELECT {a:UInt8} + 1 AS x', { a: 41 });
    expect(r!.x).toBe(42);
  });
});
