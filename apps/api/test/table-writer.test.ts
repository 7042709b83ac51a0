import type { ColumnBatch } from '@zeroscope/wire/codec';
import { describe, expect, it } from 'vitest';
import { TableWriter } from '../src/ingest/table-writer';

const batch = (rows: number): ColumnBatch => ({ rows, columns: [], data: [] });

/** A store that records each INSERT and finishes it when the test says so. */
function recordingStore() {
  const inserts: { rows: number; at: number; finish: () => void }[] = [];
  return {
    inserts,
    insert(_table: string, b: ColumnBatch | readonly ColumnBatch[]) {
      const rows = (Array.isArray(b) ? b : [b]).reduce((n: number, x: ColumnBatch) => n + x.rows, 0);
      return new Promise<void>((finish) => inserts.push({ rows, at: Date.now(), finish }));
    },
  };
}

const opts = { maxRows: 10_000, minRows: 1000, lingerMs: 3000, concurrency: 2, quietRows: 100, quietMs: 20 };

describe('TableWriter', () => {
  it('writes a stalled queue of quietRows after a pause instead of waiting out the linger', async () => {
    const store = recordingStore();
    const w = new TableWriter(store, 't', opts);
    const t0 = Date.now();
    let acked = false;
    const done = Promise.all([w.submit(batch(60)), w.submit(batch(60))]).then(() => {
      acked = true;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(store.inserts.map((i) => i.rows)).toEqual([120]);
    expect(store.inserts[0]!.at - t0).toBeLessThan(150);
    // Nothing is acked before its INSERT returned.
    expect(acked).toBe(false);
    store.inserts[0]!.finish();
    await done;
    expect(acked).toBe(true);
  });

  it('keeps lingering below quietRows, and while an INSERT runs', async () => {
    const store = recordingStore();
    const w = new TableWriter(store, 't', { ...opts, lingerMs: 400 });
    const first = w.submit(batch(50));
    await new Promise((r) => setTimeout(r, 150));
    expect(store.inserts).toHaveLength(0); // 50 < quietRows: waits for the linger
    await new Promise((r) => setTimeout(r, 350));
    expect(store.inserts.map((i) => i.rows)).toEqual([50]);
    // A quiet queue waits while an INSERT is running, then goes as soon as it returned.
    const second = w.submit(batch(500));
    await new Promise((r) => setTimeout(r, 100));
    expect(store.inserts).toHaveLength(1);
    store.inserts[0]!.finish();
    await first;
    await new Promise((r) => setTimeout(r, 10));
    expect(store.inserts.map((i) => i.rows)).toEqual([50, 500]);
    store.inserts[1]!.finish();
    await second;
    await w.drain();
  });
});
