/**
 * Zeroscope's own metric tables (flow_metrics application/network, PRODUCT.md §2.4) seen as
 * Prometheus counters, so Grafana and PromQL read eBPF RED and network metrics next to
 * ingested ones: `zeroscope_application_requests{auto_service="cart",...}` and so on.
 * Rows are per-window sums; a series becomes a counter by summing its windows from the
 * start of the read range, with a 0 at its first window's start, so rate()/increase()
 * over it give the window sums back. Reads go through the query language (tag names
 * decoded by the flow_tag dictionaries), one query per metric.
 */
import { compileQuery } from '@zeroscope/query';
import type { TelemetryStore } from '../../storage/types';
import { type Labels, METRIC_NAME, sortLabels, type TimeSeries } from '../series';
import { type Matcher, matches } from './matchers';
import { IntakeLimitError, type MetricSource } from './prom-store';

interface OwnMetric {
  table: 'application' | 'network';
  /** metric name in the query-language catalog */
  source: string;
  scale: number;
  help: string;
}

const app = (source: string, help: string, scale = 1): OwnMetric => ({
  table: 'application',
  source,
  scale,
  help,
});
const net = (source: string, help: string, scale = 1): OwnMetric => ({
  table: 'network',
  source,
  scale,
  help,
});

export const OWN_METRICS: Record<string, OwnMetric> = {
  zeroscope_application_requests: app('request', 'requests seen by eBPF/packets/OTel'),
  zeroscope_application_responses: app('response', 'requests that got a response'),
  zeroscope_application_errors: app('error', 'client and server errors'),
  zeroscope_application_client_errors: app('client_error', 'client errors'),
  zeroscope_application_server_errors: app('server_error', 'server errors'),
  zeroscope_application_timeouts: app('timeout', 'requests without a response'),
  zeroscope_application_response_duration_seconds_sum: app(
    'response_duration_sum',
    'summed response time',
    1e-6,
  ),
  zeroscope_application_response_duration_seconds_count: app('response_duration_count', 'responses timed'),
  zeroscope_application_request_bytes: app('request_length', 'request bytes'),
  zeroscope_application_response_bytes: app('response_length', 'response bytes'),
  zeroscope_network_bytes_tx: net('byte_tx', 'bytes client to server'),
  zeroscope_network_bytes_rx: net('byte_rx', 'bytes server to client'),
  zeroscope_network_packets_tx: net('packet_tx', 'packets client to server'),
  zeroscope_network_packets_rx: net('packet_rx', 'packets server to client'),
  zeroscope_network_retransmissions: net('retrans', 'TCP retransmissions both ways'),
  zeroscope_network_new_flows: net('new_flow', 'flows that started'),
  zeroscope_network_connection_failures: net('conn_failed', 'connections that never completed the handshake'),
  zeroscope_network_rtt_seconds_sum: net('rtt_sum', 'summed handshake RTT', 1e-6),
  zeroscope_network_rtt_seconds_count: net('rtt_count', 'flows with a measured RTT'),
};

const LABELS: Record<OwnMetric['table'], string[]> = {
  application: [
    'auto_service',
    'auto_instance',
    'pod',
    'pod_ns',
    'endpoint',
    'l7_protocol',
    'server_port',
    'signal_source',
    'observation_point',
  ],
  network: ['auto_service', 'auto_instance', 'pod', 'pod_ns', 'l7_protocol', 'server_port', 'signal_source'],
};

/** The 1 s tables for reads up to 2 hours (they keep a day), 1 m tables beyond. */
function resolution(fromMs: number, toMs: number): { res: '1s' | '1m'; seconds: number } {
  return toMs - fromMs <= 2 * 3600_000 && Date.now() - fromMs < 23 * 3600_000
    ? { res: '1s', seconds: 1 }
    : { res: '1m', seconds: 60 };
}

export class OwnMetrics implements MetricSource {
  constructor(
    private readonly store: Pick<TelemetryStore, 'query'>,
    private readonly maxRows = 200_000,
  ) {}

  private names(ms: readonly Matcher[]): string[] {
    const nameMatchers = ms.filter((m) => m.name === METRIC_NAME);
    return Object.keys(OWN_METRICS).filter((n) => matches([[METRIC_NAME, n]], nameMatchers));
  }

  private async read(
    name: string,
    fromMs: number,
    toMs: number,
    ms: readonly Matcher[],
  ): Promise<TimeSeries[]> {
    const m = OWN_METRICS[name]!;
    const { res, seconds } = resolution(fromMs, toMs);
    const labels = LABELS[m.table];
    const cols = labels.join(', ');
    // equality matchers on string tags narrow the read in ClickHouse; the rest filter below
    const where = ms
      .filter((x) => x.op === '=' && x.value !== '' && x.name !== 'server_port' && labels.includes(x.name))
      .map((x) => `${x.name} = '${x.value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`);
    const text = `SELECT time(time, ${seconds}) AS t, ${cols}, Sum(${m.source}) AS v FROM ${m.table}.${res}${
      where.length ? ` WHERE ${where.join(' AND ')}` : ''
    } GROUP BY t, ${cols}`;
    const compiled = compileQuery(text, {
      start: Math.floor(fromMs / 1000) - seconds,
      end: Math.ceil(toMs / 1000) + 1,
      maxRows: this.maxRows,
    });
    if (compiled.kind !== 'sql') return [];
    const rows = await this.store.query<Record<string, unknown>>(
      `${compiled.sql}\nSETTINGS max_execution_time = 30`,
      compiled.params,
    );
    // the compiled LIMIT clamps at maxRows: a full page means rows were cut, never answer partially
    if (rows.length >= this.maxRows)
      throw new IntakeLimitError(
        'sample_limit',
        `${name} over this range needs more than ${this.maxRows} rows; narrow the selector or the range`,
      );
    const out = new Map<string, TimeSeries & { total: number }>();
    for (const r of rows) {
      const ls: Labels = [[METRIC_NAME, name]];
      labels.forEach((l, i) => {
        const v = r[`c${i + 1}`];
        if (v !== undefined && v !== null && v !== '' && v !== 0) ls.push([l, String(v)]);
      });
      sortLabels(ls);
      const key = JSON.stringify(ls);
      let s = out.get(key);
      const start = Number(r.c0) * 1000;
      if (!s) {
        s = { labels: ls, samples: [{ t: start, v: 0 }], total: 0 };
        out.set(key, s);
      }
      s.total += Number(r[`c${labels.length + 1}`] ?? 0) * m.scale;
      s.samples.push({ t: start + seconds * 1000, v: s.total });
    }
    return [...out.values()].map(({ labels: l, samples }) => ({ labels: l, samples }));
  }

  async select(
    ms: readonly Matcher[],
    fromMs: number,
    toMs: number,
    maxSamples: number,
  ): Promise<TimeSeries[]> {
    const out: TimeSeries[] = [];
    let n = 0;
    for (const name of this.names(ms)) {
      for (const s of await this.read(name, fromMs, toMs, ms)) {
        if (!matches(s.labels, ms)) continue;
        n += s.samples.length;
        if (n > maxSamples) return out;
        out.push(s);
      }
    }
    return out;
  }

  async series(ms: readonly Matcher[], fromMs: number, toMs: number): Promise<Labels[]> {
    return (await this.select(ms, fromMs, toMs, 1_000_000)).map((s) => s.labels);
  }

  async labelNames(): Promise<string[]> {
    return [METRIC_NAME, ...new Set(Object.values(LABELS).flat())];
  }
}
