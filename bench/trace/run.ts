/**
 * Trace assembly latency (PRODUCT.md §4: a 40-span trace in 10M request logs <= 300 ms;
 * DeepFlow ~1 s). The table is the API's own (migrations applied by openTelemetryStore,
 * embedded chDB), filled with background rows by INSERT ... SELECT FROM numbers() whose tcp
 * seqs, syscall ids and pids look like a busy cluster's, plus one 40-span trace (20 hops
 * over 4 levels of services). The search starts from a mid-level and from a leaf record.
 *   npm run trace -w @zeroscope/bench [-- rows]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { openTelemetryStore } from '@zeroscope/api/storage';
import {
  findTrace,
  type RecordKey,
  searchTraces,
  type TraceRow,
  traceSearchInput,
} from '@zeroscope/api/tracing';

const ROWS = Number(process.argv[2] ?? 10_000_000);
const T0 = 1_900_000_000; // s; inside the 7-day TTL of the table for years to come
const HOUR_US = 3_600_000_000;
const RUNS = 7;

/** One 40-span trace: ids as the kernel assigns them (a call follows the read before it). */
function traceRows(startUs: number): TraceRow[] {
  const rows: TraceRow[] = [];
  let nextId = 9_000_000_000;
  let nextSeq = 4_000_000_000;
  let port = 41000;
  const base = {
    l7_protocol: 'http1',
    request_type: 'GET',
    request_domain: '',
    request_id: 0,
    response_status: 'ok',
    response_code: 200,
    response_exception: '',
    trace_id: '',
    span_id: '',
    parent_span_id: '',
    x_request_id_0: '',
    x_request_id_1: '',
    ip_0: '::ffff:10.1.0.1',
    ip_1: '::ffff:10.1.0.2',
    signal_source: 'ebpf',
    agent_id: 7,
    attribute_names: [],
    attribute_values: [],
  };
  let pid = 60_000;
  // a server span of `svc` at [a, b] whose calls go to `fanout` children per level
  const serve = (
    client: { pid: number; name: string },
    depth: number,
    a: number,
    b: number,
    ids: [number, number],
  ) => {
    const me = { pid: pid++, name: `svc-${depth}-${pid % 100}` };
    const seq = nextSeq++;
    const common = {
      ...base,
      endpoint: `/level${depth}`,
      request_resource: `/level${depth}?q=1`,
      client_port: port++,
      server_port: 8000 + depth,
      flow_id: port,
      req_tcp_seq: seq,
      resp_tcp_seq: seq + 500,
      process_id_0: client.pid,
      process_kname_0: client.name,
      process_id_1: me.pid,
      process_kname_1: me.name,
    };
    const sReq = nextId++;
    const fanout = depth === 0 ? 3 : depth === 1 ? 2 : depth === 2 ? 2 : 0;
    let prev = sReq;
    const slot = (b - a) / (fanout + 1);
    for (let i = 0; i < fanout; i++) {
      const ca = Math.round(a + slot * (i + 0.5));
      const cb = Math.round(ca + slot * 0.9);
      const resp = nextId++;
      serve(me, depth + 1, ca, cb, [prev, resp]);
      prev = resp;
    }
    rows.push({
      ...common,
      observation_point: 'c-p',
      start_time: a - 50,
      end_time: b + 50,
      syscall_trace_id_request: ids[0],
      syscall_trace_id_response: ids[1],
    } as TraceRow);
    rows.push({
      ...common,
      observation_point: 's-p',
      start_time: a,
      end_time: b,
      syscall_trace_id_request: sReq,
      syscall_trace_id_response: prev,
    } as TraceRow);
  };
  serve({ pid: 59_999, name: 'loadgen' }, 0, startUs, startUs + 80_000, [nextId++, nextId++]);
  // 1 + 3 + 6 + 12 = 22 hops would be 44 spans: drop leaves so that exactly 40 remain
  return rows.slice(4);
}

const dir = mkdtempSync(join(os.tmpdir(), 'zs-bench-trace-'));
const store = await openTelemetryStore({
  dataDir: dir,
  clickhouseUrl: undefined,
  clickhouseCluster: undefined,
});
try {
  const t = performance.now();
  // Background: one hour of requests from 5,000 processes on 10 agents; a tenth carry a
  // header trace id, a twentieth an X-Request-ID; every row has its own seqs and ids.
  await store.command(`INSERT INTO flow_log.l7_flow_log
    (start_time, end_time, response_duration, l7_protocol, request_type, endpoint, request_resource, response_status,
     response_code, trace_id, x_request_id_0, ip_0, ip_1, client_port, server_port, protocol, flow_id, req_tcp_seq,
     resp_tcp_seq, syscall_trace_id_request, syscall_trace_id_response, process_id_0, process_id_1,
     process_kname_0, process_kname_1, observation_point, signal_source, agent_id)
    SELECT fromUnixTimestamp64Micro(toInt64(${T0}000000 + intDiv(number * ${HOUR_US}, ${ROWS}))) AS st,
      st + toIntervalMicrosecond(d), cityHash64(number, 1) % 200000 AS d, 'http1', 'GET',
      concat('/api/', toString(number % 50)), concat('/api/', toString(number % 50), '?i=', toString(number)),
      'ok', 200, if(number % 10 = 0, lower(hex(cityHash64(number, 2))), ''),
      if(number % 20 = 0, toString(generateUUIDv4(number)), ''),
      toIPv6('10.0.0.1'), toIPv6('10.0.0.2'), 30000 + number % 30000, 8080, 'tcp', number,
      toUInt32(cityHash64(number, 3) % 4294967295), toUInt32(cityHash64(number, 4) % 4294967295),
      cityHash64(number, 5) % 1000000000, cityHash64(number, 6) % 1000000000,
      cityHash64(number, 7) % 5000, cityHash64(number, 8) % 5000, 'node', 'python3',
      ['c-p', 's-p'][number % 2 + 1], 'ebpf', number % 10 + 1
    FROM numbers(${ROWS})`);
  const loadS = (performance.now() - t) / 1000;

  const trace = traceRows((T0 + 1800) * 1_000_000);
  const json = trace
    .map((r) =>
      JSON.stringify({
        ...r,
        start_time: (r.start_time / 1e6).toFixed(6),
        end_time: (r.end_time / 1e6).toFixed(6),
        response_duration: r.end_time - r.start_time,
        protocol: 'tcp',
      }),
    )
    .join('\n');
  await store.command(`INSERT INTO flow_log.l7_flow_log FORMAT JSONEachRow\n${json}`);
  await store.command('OPTIMIZE TABLE flow_log.l7_flow_log FINAL');
  const [{ n }] = await store.query<{ n: string }>('SELECT count() AS n FROM flow_log.l7_flow_log');
  console.log(
    `loaded ${Number(n).toLocaleString()} request logs (${ROWS.toLocaleString()} generated by INSERT ... SELECT FROM numbers() in ${loadS.toFixed(1)} s), one trace of ${trace.length} spans`,
  );

  const keyOf = (r: TraceRow): RecordKey => ({
    start_time: r.start_time,
    end_time: r.end_time,
    flow_id: r.flow_id,
    request_id: 0,
    agent_id: r.agent_id,
    observation_point: r.observation_point,
  });
  const measure = async (label: string, from: TraceRow) => {
    const times: number[] = [];
    let spans = 0;
    let iterations = 0;
    let rows = 0;
    for (let i = 0; i < RUNS; i++) {
      const a = performance.now();
      const tr = await findTrace(store, { recordKey: keyOf(from) });
      times.push(performance.now() - a);
      spans = tr.spans.length;
      iterations = tr.stats.iterations;
      rows = tr.stats.rows;
    }
    times.sort((x, y) => x - y);
    const median = times[Math.floor(RUNS / 2)]!;
    console.log(
      `${label.padEnd(40)} median ${median.toFixed(0).padStart(5)} ms  min ${times[0]!.toFixed(0).padStart(5)} ms  (${spans} spans, ${iterations} rounds, ${rows} rows read back)`,
    );
    return { median, spans };
  };
  const mid = await measure(
    '40-span trace from a mid-level server',
    trace.find((r) => r.observation_point === 's-p' && r.server_port === 8001)!,
  );
  const leaf = await measure(
    '40-span trace from a leaf server',
    trace.find((r) => r.observation_point === 's-p' && r.server_port === 8003)!,
  );
  // the traces list: entry requests of the whole hour, newest and slowest first
  for (const orderBy of ['start_time', 'duration'] as const) {
    const times: number[] = [];
    let n = 0;
    for (let i = 0; i < 3; i++) {
      const a = performance.now();
      n = (await searchTraces(store, traceSearchInput.parse({ start: T0, end: T0 + 3600, orderBy }))).length;
      times.push(performance.now() - a);
    }
    times.sort((x, y) => x - y);
    console.log(
      `${`trace search over 1 h, by ${orderBy}`.padEnd(40)} median ${times[1]!.toFixed(0).padStart(5)} ms  (${n} entries listed)`,
    );
  }
  const worst = Math.max(mid.median, leaf.median);
  console.log(
    `target <= 300 ms (PRODUCT.md §4), DeepFlow ~1000 ms: worst median ${worst.toFixed(0)} ms = ${(worst / 300).toFixed(2)}x the target, ` +
      `${(1000 / worst).toFixed(1)}x faster than DeepFlow; all ${trace.length} spans found: ${mid.spans === trace.length && leaf.spans === trace.length}`,
  );
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
