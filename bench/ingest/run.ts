/**
 * Ingest benchmark (PRODUCT.md §4: >= 300k request-log rows/s into embedded ClickHouse,
 * <= 40 bytes/row on disk). Run: npx tsx bench/ingest/run.ts [totalRows]
 */
import os from 'node:os';
import { sampleRequestLogs } from '@zeroscope/wire/sample';
import { benchCodecs } from './codecs';
import { benchEndToEnd } from './e2e';
import { benchStorage } from './storage';

const total = Number(process.argv[2] ?? 1_000_000);
const records = sampleRequestLogs(200_000, 9);
const fmt = (n: number) => n.toLocaleString('en-US');

console.log(
  `ingest bench: ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}, node ${process.version}\n`,
);

console.log('1. wire codecs (2,000-row batches of request logs, same records)');
const codecs = benchCodecs(records.slice(0, 40_000));
const base = codecs[0]!;
for (const c of codecs)
  console.log(
    `   ${c.name.padEnd(22)} encode ${fmt(c.encodeRowsPerSec).padStart(10)} rows/s  decode ${fmt(c.decodeRowsPerSec).padStart(10)} rows/s  ${String(c.bytesPerRow).padStart(6)} B/row  (size x${(c.bytesPerRow / base.bytesPerRow).toFixed(2)} vs columnar)`,
  );

console.log('\n2. storage insert paths into embedded chDB');
for (const s of await benchStorage(records))
  console.log(`   ${s.name.padEnd(52)} ${fmt(s.rowsPerSec).padStart(10)} rows/s`);

console.log(`\n3. end to end: Sender -> WebSocket -> API process -> chDB (${fmt(total)} rows)`);
// The agent's default settings first, then fixed batch sizes with a 16-batch window.
const runs: { label: string; opts: { batchRows?: number; maxInflight?: number } }[] = [
  { label: 'agent defaults   ', opts: {} },
  { label: 'batch  1000 rows:', opts: { batchRows: 1000, maxInflight: 16 } },
  { label: 'batch  4000 rows:', opts: { batchRows: 4000, maxInflight: 16 } },
];
for (const { label, opts } of runs) {
  const e = await benchEndToEnd(records, total, opts);
  console.log(
    `   ${label} ${fmt(e.rowsPerSec).padStart(10)} rows/s wall  stored ${fmt(e.storedRows)}  ${e.bytesPerRowOnDisk} B/row on disk  dropped ${e.senderDroppedRows}`,
  );
  console.log(
    `      CPU per row: API ${e.apiCpuUsPerRow} us (=> ${fmt(Math.round(2e6 / e.apiCpuUsPerRow))} rows/s on 2 free cores), agent ${e.agentCpuUsPerRow} us`,
  );
  console.log(`      API threads (us/row): ${e.apiThreads.map(([n, us]) => `${n} ${us}`).join(', ')}`);
}
