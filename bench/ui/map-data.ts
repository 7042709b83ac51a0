/**
 * A 2,000-node / 5,000-edge service map for the UI benchmark: one minute of client ->
 * server calls between 2,000 addresses (no resources, so every node is its IP), turned into
 * metric rows by the agent's aggregator and sent over the agent link like a node agent does.
 */
import { MetricsAggregator } from '@zeroscope/agent/metrics';
import { Sender } from '@zeroscope/agent/sender';
import { emptyRequestLog, type RequestLog } from '@zeroscope/wire/records';

export const NODES = 2000;
export const EDGES = 5000;

const ip = (i: number) => `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;

/** Deterministic edges: every node calls at least once, hubs get more callers, no duplicates. */
export function mapEdges(nodes = NODES, edges = EDGES): [number, number][] {
  const out: [number, number][] = [];
  const seen = new Set<number>();
  let x = 12345;
  const rnd = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 32;
  };
  for (let i = 0; out.length < edges; i++) {
    const source = i < nodes ? i : Math.floor(rnd() * nodes);
    // a skewed target: low ids are popular services
    const target = Math.floor(nodes * rnd() ** 3);
    if (source === target || seen.has(source * nodes + target)) continue;
    seen.add(source * nodes + target);
    out.push([source, target]);
  }
  return out;
}

/** One minute of calls (a few per edge, some failing) ending at `nowUs`. */
export function mapRequests(nowUs: number): RequestLog[] {
  const minute = Math.floor(nowUs / 60_000_000) * 60_000_000 - 60_000_000;
  const out: RequestLog[] = [];
  mapEdges().forEach(([s, t], i) => {
    const calls = 1 + (i % 3);
    for (let k = 0; k < calls; k++) {
      const start = minute + ((i * 7 + k * 13) % 59_000) * 1000;
      const d = 2000 + ((i * 31 + k) % 400) * 1000;
      out.push({
        ...emptyRequestLog(),
        start_time: start,
        end_time: start + d,
        response_duration: d,
        l7_protocol: 'http1',
        endpoint: `/api/v${t % 7}`,
        response_status: (i + k) % 23 === 0 ? 'server_error' : 'ok',
        ip_0: ip(s),
        ip_1: ip(t),
        client_port: 30_000 + (i % 20_000),
        server_port: 8080,
        protocol: 'tcp',
        observation_point: 's-p',
        signal_source: 'ebpf',
      });
    }
  });
  return out;
}

/** Sends the metric rows of `mapRequests` to the API at `apiPort` and waits for the acks. */
export async function ingestMap(apiPort: number, agentToken: string, nowUs: number): Promise<number> {
  const sender = new Sender({ url: `ws://127.0.0.1:${apiPort}`, token: agentToken, hostname: 'bench-ui' });
  let rows = 0;
  const agg = new MetricsAggregator({
    emit: (row) => {
      // the map reads the minute tables; the per-second ones are not needed here
      if (!row.kind.endsWith('_1m')) return;
      rows++;
      sender.enqueue(row);
    },
    maxKeys: 1_000_000,
  });
  for (const r of mapRequests(nowUs)) agg.onRecord(r);
  agg.flush();
  await sender.flush();
  await sender.close();
  return rows;
}
