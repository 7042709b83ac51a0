/** Wire codec vs JSON vs msgpack on the same request logs: encode/decode rows/s and bytes/row. */
import { decodeBatch, encodeBatch } from '@zeroscope/wire/codec';
import { REQUEST_LOG_COLUMNS } from '@zeroscope/wire/columns';
import type { RequestLog } from '@zeroscope/wire/records';
import { Packr } from 'msgpackr';

export interface CodecResult {
  name: string;
  encodeRowsPerSec: number;
  decodeRowsPerSec: number;
  bytesPerRow: number;
}

function time(fn: () => void, minMs = 600): number {
  fn(); // warm-up
  let runs = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minMs) {
    fn();
    runs++;
  }
  return (performance.now() - t0) / runs;
}

export function benchCodecs(records: RequestLog[], batchRows = 2000): CodecResult[] {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < records.length; i += batchRows)
    batches.push(records.slice(i, i + batchRows) as unknown as Record<string, unknown>[]);
  const rows = records.length;
  const packr = new Packr({ structuredClone: false, useRecords: true });
  const cases: {
    name: string;
    enc: (b: Record<string, unknown>[]) => Uint8Array;
    dec: (u: Uint8Array) => void;
  }[] = [
    {
      name: 'zeroscope columnar',
      enc: (b) => encodeBatch(REQUEST_LOG_COLUMNS, b),
      dec: (u) => {
        const r = decodeBatch(REQUEST_LOG_COLUMNS, u);
        if (!r.ok) throw r.error;
      },
    },
    {
      name: 'JSON',
      enc: (b) => Buffer.from(JSON.stringify(b)),
      dec: (u) => JSON.parse(Buffer.from(u).toString()),
    },
    { name: 'msgpackr (records)', enc: (b) => packr.pack(b), dec: (u) => packr.unpack(u) },
  ];
  return cases.map((c) => {
    let encoded: Uint8Array[] = [];
    const encMs = time(() => {
      encoded = batches.map(c.enc);
    });
    const bytes = encoded.reduce((n, u) => n + u.length, 0);
    const decMs = time(() => {
      for (const u of encoded) c.dec(u);
    });
    return {
      name: c.name,
      encodeRowsPerSec: Math.round(rows / (encMs / 1000)),
      decodeRowsPerSec: Math.round(rows / (decMs / 1000)),
      bytesPerRow: Math.round((bytes / rows) * 10) / 10,
    };
  });
}
