import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ColumnBatch, decodeBatch, encodeBatch, withConstColumn } from '@zeroscope/wire/codec';
import type { Column } from '@zeroscope/wire/columns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrowInsert } from './arrow';
import { Engine } from './engine';
import { clickhouseType } from './schema';

// Every column type, named so each row's values are easy to tell apart.
const COLUMNS: readonly Column[] = [
  { name: 'start_time', type: 'u64' },
  { name: 'n', type: 'u32' },
  { name: 'small', type: 'u8' },
  { name: 'port', type: 'u16' },
  { name: 'big', type: 'u64' },
  { name: 'signed', type: 'i64' },
  { name: 'ratio', type: 'f64' },
  { name: 'text', type: 'string' },
  { name: 'kind', type: 'lowcard' },
  { name: 'ip', type: 'ip' },
  { name: 'tags', type: 'strings' },
];

function batch(records: Record<string, unknown>[]): ColumnBatch {
  const res = decodeBatch(COLUMNS, encodeBatch(COLUMNS, records));
  if (!res.ok) throw res.error;
  return res.batch;
}

const T0 = 1_764_763_200_123_456;
// Batch a: every column varies (plain strings, IPv4 and IPv6, awkward bytes in strings).
const a = Array.from({ length: 300 }, (_, i) => ({
  start_time: T0 + i,
  n: i * 7,
  small: i % 256,
  port: 40000 + i,
  big: 2 ** 52 + i,
  signed: i % 2 ? -i * 1000 : i,
  ratio: i / 3,
  text: `q'\\"\n\t€ ${i}`,
  kind: i % 3 ? 'GET' : 'POST',
  ip: i % 2 ? `10.0.${i >> 8}.${i & 255}` : `2001:db8::${i.toString(16)}`,
}));
// Batch b: the same value in every row (constant columns), a repeated-string dictionary.
const b = Array.from({ length: 200 }, (_, i) => ({
  start_time: T0,
  n: 5,
  small: 1,
  port: 443,
  big: 9,
  signed: -3,
  ratio: 0.5,
  text: i % 2 ? 'same' : 'other',
  kind: 'GET',
  ip: '192.168.1.1',
}));
// Batch c: fields missing altogether (the column's zero).
const c = Array.from({ length: 50 }, () => ({ start_time: T0 + 1 }));

describe('Arrow inserts into embedded chDB', () => {
  let dir: string;
  let engine: Engine;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zs-arrow-'));
    engine = await Engine.open({ dataDir: dir });
    const cols = [...COLUMNS, { name: 'agent_id', type: 'u32' } as Column]
      .map((col) => `\`${col.name}\` ${clickhouseType(col)}`)
      .join(', ');
    await engine.command('CREATE DATABASE t');
    for (const t of ['via_arrow', 'via_native'])
      await engine.command(`CREATE TABLE t.${t} (${cols}) ENGINE = MergeTree ORDER BY tuple()`);
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rowsOf = async (table: string) => engine.query(`SELECT * FROM t.${table} ORDER BY ALL`);

  it('stores exactly what the Native path stores, for every kind of column data', async () => {
    const sets = [[a, b, c], [b], [a], [c, b]];
    for (const recs of sets) {
      const make = () =>
        recs.map((r, k) => withConstColumn(batch(r), { name: 'agent_id', type: 'u32' }, k + 1));
      const viaArrow = engine.prepare('t.via_arrow', make());
      expect(viaArrow.arrow).toBeDefined();
      await engine.run(viaArrow);
      await engine.run(engine.prepare('t.via_native', make(), { native: true }));
    }
    const got = await rowsOf('via_arrow');
    expect(got).toHaveLength(550 + 200 + 300 + 250);
    expect(got).toEqual(await rowsOf('via_native'));
    expect(got).toContainEqual(
      expect.objectContaining({ text: 'q\'\\"\n\t€ 7', ip: '::ffff:10.0.0.7', signed: -7000, tags: [] }),
    );
  });

  it('sends constant columns as literals and leaves string lists with items to Native', () => {
    const ins = arrowInsert([batch(b)])!;
    // f64 always travels as rows; `text` is a two-entry dictionary: codes as rows, strings inline
    expect(ins.columns.map((col) => col.format)).toEqual(['g', 'I']);
    expect(ins.body('x')).toMatch(/\['(other|same)', '(other|same)'\]\[c1 \+ 1\]/);
    const sql = ins.body('x');
    expect(sql).toContain(`fromUnixTimestamp64Micro(toInt64(${T0}))`);
    expect(sql).toContain(
      "CAST('\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\xff\\xff\\xc0\\xa8\\x01\\x01' AS FixedString(16))",
    );
    expect(sql).toContain(", 'GET', CAST(");
    expect(arrowInsert([batch([{ start_time: T0, tags: ['a', 'b'] }])])).toBeUndefined();
  });
});
