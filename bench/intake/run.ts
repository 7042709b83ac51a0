/**
 * Multi-source intake (issue 12), side by side in one run:
 * 1. SmartEncoding on disk: the same Prometheus samples in `prometheus.samples` (metric and
 *    label set as integer ids) against a table that stores the metric name and labels as
 *    strings in every row, same codecs for time and value (PRODUCT.md §4: int-encoded tags
 *    >= 4x less disk; paper: 3.9x).
 * 2. Decoder throughput: remote write (snappy + protobuf) samples/s, OTLP spans/s as
 *    protobuf against the same spans as OTLP/JSON.
 * Run: npx tsx bench/intake/run.ts [series] [points]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeRemoteWrite,
  decodeTracesJson,
  decodeTracesProto,
  type Labels,
  PromStore,
  ProtoWriter,
  remoteWrite,
  snappyCompress,
  sortLabels,
  type TimeSeries,
  unsnappy,
} from '@zeroscope/api/intake';
import { openTelemetryStore } from '@zeroscope/api/storage';
import type { ColumnBatch } from '@zeroscope/wire/codec';

const SERIES = Number(process.argv[2] ?? 2000);
const POINTS = Number(process.argv[3] ?? 480);
const STEP_MS = 15_000;
const T0 = Math.floor((Date.now() - POINTS * STEP_MS) / 3600_000) * 3600_000;

/** node-exporter-like series: 40 metric names, labels instance/job/cpu/mode/device. */
function seriesLabels(i: number): Labels {
  const host = i % 25;
  const metric = [
    'node_cpu_seconds_total',
    'node_network_receive_bytes_total',
    'node_disk_read_bytes_total',
    'node_filesystem_avail_bytes',
  ][i % 4]!;
  return sortLabels([
    ['__name__', `${metric}${i % 40 < 4 ? '' : `_${i % 40}`}`],
    ['instance', `10.20.${Math.floor(host / 10)}.${host}:9100`],
    ['job', 'node-exporter'],
    ['cpu', String(i % 8)],
    ['mode', ['idle', 'user', 'system', 'iowait', 'steal'][i % 5]!],
    ['device', ['eth0', 'nvme0n1', 'sda', '/dev/mapper/root'][(i >> 3) % 4]!],
  ]);
}

function samples(): TimeSeries[] {
  return Array.from({ length: SERIES }, (_, i) => {
    let v = i * 1000;
    return {
      labels: seriesLabels(i),
      samples: Array.from({ length: POINTS }, (_, k) => {
        v += ((i * 7919 + k * 104729) % 1000) / 10;
        return { t: T0 + k * STEP_MS, v };
      }),
    };
  });
}

const STRING_TABLE = `CREATE TABLE IF NOT EXISTS prometheus.bench_string_samples
(
    \`time\` DateTime64(6) CODEC(DoubleDelta, ZSTD(1)),
    \`metric\` String CODEC(ZSTD(1)),
    \`label_names\` Array(String) CODEC(ZSTD(1)),
    \`label_values\` Array(String) CODEC(ZSTD(1)),
    \`value\` Float64 CODEC(Gorilla, ZSTD(1))
)
ENGINE = MergeTree
PARTITION BY toStartOfHour(time)
ORDER BY (toStartOfHour(time), metric, label_values, time)`;

const enc = new TextEncoder();
function strVec(values: string[]) {
  const parts = values.map((s) => enc.encode(s));
  const offsets = new Uint32Array(parts.length + 1);
  let n = 0;
  parts.forEach((p, i) => {
    offsets[i] = n;
    n += p.length;
  });
  offsets[parts.length] = n;
  const data = new Uint8Array(n);
  parts.forEach((p, i) => {
    data.set(p, offsets[i]!);
  });
  return { data, offsets };
}

function stringBatch(series: TimeSeries[]): ColumnBatch {
  const time: number[] = [];
  const metric: string[] = [];
  const value: number[] = [];
  const names: string[] = [];
  const values: string[] = [];
  const rowOffsets: number[] = [0];
  for (const s of series) {
    const rest = s.labels.filter((l) => l[0] !== '__name__');
    for (const p of s.samples) {
      time.push(p.t * 1000);
      metric.push(s.labels.find((l) => l[0] === '__name__')![1]);
      value.push(p.v);
      for (const [n, v] of rest) {
        names.push(n);
        values.push(v);
      }
      rowOffsets.push(names.length);
    }
  }
  const list = (items: string[]) => ({
    kind: 'list' as const,
    rowOffsets: Uint32Array.from(rowOffsets),
    items: strVec(items),
  });
  return {
    rows: time.length,
    columns: [
      { name: 'time', type: 'u64' },
      { name: 'metric', type: 'string' },
      { name: 'label_names', type: 'strings' },
      { name: 'label_values', type: 'strings' },
      { name: 'value', type: 'f64' },
    ],
    data: [
      { kind: 'num', values: Float64Array.from(time) },
      { kind: 'str', vec: strVec(metric) },
      list(names),
      list(values),
      { kind: 'num', values: Float64Array.from(value) },
    ],
  };
}

async function storage(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'zs-bench-intake-'));
  const store = await openTelemetryStore({ dataDir: dir, clickhouseUrl: undefined });
  try {
    await store.command(STRING_TABLE);
    const data = samples();
    const rows = SERIES * POINTS;
    const prom = new PromStore(store, SERIES * 2);
    let t = performance.now();
    for (let i = 0; i < data.length; i += 200) await prom.write(data.slice(i, i + 200), () => undefined);
    const intMs = performance.now() - t;
    t = performance.now();
    for (let i = 0; i < data.length; i += 200)
      await store.insert('prometheus.bench_string_samples', stringBatch(data.slice(i, i + 200)));
    const strMs = performance.now() - t;
    for (const table of ['samples', 'bench_string_samples'])
      await store.command(`OPTIMIZE TABLE prometheus.${table} FINAL`);
    const size = async (tables: string) => {
      const [r] = await store.query<{ b: number }>(
        `SELECT sum(bytes_on_disk) AS b FROM system.parts WHERE active AND database = 'prometheus' AND table IN (${tables})`,
      );
      return Number(r!.b);
    };
    const intBytes = await size("'samples', 'series', 'metric_name', 'label_name', 'label_value'");
    const strBytes = await size("'bench_string_samples'");
    console.log(
      `intake storage: ${rows} samples, ${SERIES} series x ${POINTS} points (node-exporter-like labels)`,
    );
    console.log(
      `  integer-encoded (samples + series + name tables): ${intBytes} B = ${(intBytes / rows).toFixed(2)} B/sample, written at ${Math.round(rows / (intMs / 1000))} samples/s`,
    );
    console.log(
      `  string labels in every row:                       ${strBytes} B = ${(strBytes / rows).toFixed(2)} B/sample, written at ${Math.round(rows / (strMs / 1000))} samples/s`,
    );
    console.log(`  ratio string/int on disk, whole rows: ${(strBytes / intBytes).toFixed(2)}x`);
    // the label part alone: time and value are the same numbers, stored the same way, in both
    const cols = async (table: string, names: string) => {
      const [r] = await store.query<{ b: number }>(
        `SELECT sum(data_compressed_bytes) AS b FROM system.columns WHERE database = 'prometheus' AND table = '${table}' AND name IN (${names})`,
      );
      return Number(r!.b);
    };
    const shared = await cols('samples', "'time', 'value'");
    const intTags = intBytes - shared;
    const strTags = await cols('bench_string_samples', "'metric', 'label_names', 'label_values'");
    console.log(
      `  labels only: ids ${intTags} B (${(intTags / rows).toFixed(2)} B/sample) vs strings ${strTags} B (${(strTags / rows).toFixed(2)} B/sample): ${(strTags / intTags).toFixed(2)}x (target >= 4x; paper 3.9x)`,
    );
    console.log(
      `  time + value columns: ${shared} B (${(shared / rows).toFixed(2)} B/sample), the same in both`,
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function rate(n: number, f: () => void, rounds = 20): number {
  f();
  const t = performance.now();
  for (let i = 0; i < rounds; i++) f();
  return Math.round((n * rounds) / ((performance.now() - t) / 1000));
}

function decoders(): void {
  const data = samples().slice(0, 500);
  const body = snappyCompress(
    remoteWrite(
      data.map((s) => ({
        labels: Object.fromEntries(s.labels),
        samples: s.samples.slice(0, 100).map((p) => [p.t, p.v] as [number, number]),
      })),
    ),
  );
  const n = 500 * 100;
  const rw = rate(n, () => {
    const u = unsnappy(body, 64 << 20);
    if (!u.ok || !decodeRemoteWrite(u.value, { maxSeries: 1e6, maxSamples: 1e7, maxLabels: 64 }).ok)
      throw new Error('decode');
  });
  // 5000 spans with 6 attributes each, as protobuf and as the equivalent OTLP/JSON
  const w = new ProtoWriter();
  const json: unknown[] = [];
  for (let i = 0; i < 5000; i++) {
    const trace = (i * 2654435761).toString(16).padStart(32, '0').slice(-32);
    const span = (i * 40503 + 1).toString(16).padStart(16, '0').slice(-16);
    const attrs: [string, string][] = [
      ['http.request.method', 'GET'],
      ['url.path', `/api/items/${i % 100}`],
      ['server.address', 'shop.svc'],
      ['http.response.status_code', '200'],
      ['net.peer.name', 'gateway'],
      ['user_agent.original', 'curl/8.0'],
    ];
    const sw = new ProtoWriter()
      .bytes(1, Buffer.from(trace, 'hex'))
      .bytes(2, Buffer.from(span, 'hex'))
      .string(5, `GET /api/items/${i % 100}`)
      .uint(6, 2)
      .fixed64(7, 1.7e18 + i * 1e6)
      .fixed64(8, 1.7e18 + i * 1e6 + 5e5);
    for (const [k, v] of attrs)
      sw.message(9, new ProtoWriter().string(1, k).message(2, new ProtoWriter().string(1, v)));
    w.message(2, sw);
    json.push({
      traceId: trace,
      spanId: span,
      name: `GET /api/items/${i % 100}`,
      kind: 2,
      startTimeUnixNano: String(1.7e18 + i * 1e6),
      endTimeUnixNano: String(1.7e18 + i * 1e6 + 5e5),
      attributes: attrs.map(([key, v]) => ({ key, value: { stringValue: v } })),
    });
  }
  const scope = w;
  const proto = new ProtoWriter().message(1, new ProtoWriter().message(2, scope)).finish();
  const jsonBody = enc.encode(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: json }] }] }));
  const p = rate(5000, () => {
    if (!decodeTracesProto(proto).ok) throw new Error('proto');
  });
  const j = rate(5000, () => {
    if (!decodeTracesJson(jsonBody).ok) throw new Error('json');
  });
  console.log('intake decoders (one thread):');
  console.log(`  remote write snappy+protobuf: ${rw} samples/s (${body.length} B per 50k-sample request)`);
  console.log(`  OTLP traces protobuf:         ${p} spans/s (${proto.length} B per 5k spans)`);
  console.log(
    `  OTLP traces JSON:             ${j} spans/s (${jsonBody.length} B per 5k spans); protobuf/JSON ${(p / j).toFixed(2)}x`,
  );
}

decoders();
await storage();
