/**
 * The metric tables `application`, `application_map`, `network`, `network_map` (PRODUCT.md
 * §2.4) at each stored resolution, e.g. `application.1m` -> `flow_metrics.application_1m`.
 * Rows are pre-aggregated (apps/agent metrics, @zeroscope/wire/metrics), so metrics are sums
 * of value columns, averages are sum/count ratios, and p50/p90/p99 are read from the summed
 * latency sketch buckets (wire/metrics-sketch) with aggregate-level SQL.
 */
import { LATENCY_SKETCH_COLUMNS } from '@zeroscope/wire/metrics';
import {
  SKETCH_BASE_US,
  SKETCH_BUCKETS,
  SKETCH_MAX_US,
  SKETCH_STEPS_PER_OCTAVE,
  SKETCH_UPPER_BOUNDS,
} from '@zeroscope/wire/metrics-sketch';
import {
  asEnum,
  L4_PROTOCOL_VALUES,
  L7_PROTOCOL_VALUES,
  OBSERVATION_POINT_VALUES,
  SIGNAL_SOURCE_VALUES,
} from '../enums';
import type { MetricDef, TableDef, TagDef } from '../types';
import { CUSTOM_TAG_FAMILIES, tag, universalTags } from './common';
import { counter, ratio, rowCount } from './metrics';

export const METRIC_RESOLUTIONS = ['1s', '1m', '1h', '1d'] as const;

/** Quantile q of the summed sketch: the geometric middle of the bucket holding rank q·total. */
export function sketchQuantileSql(q: number): string {
  const n = SKETCH_BUCKETS;
  const cum = `arrayCumSum([${LATENCY_SKETCH_COLUMNS.map((c) => `sum(${c})`).join(', ')}])`;
  const index = `arrayMap(h -> arrayFirstIndex((x, t) -> x >= ${q} * t AND x > 0, h, arrayWithConstant(${n}, h[${n}])), [${cum}])`;
  const value =
    `if(i = 0, 0, multiIf(i = 1, ${SKETCH_BASE_US / 2}, i = ${n}, ${SKETCH_MAX_US}, ` +
    `${SKETCH_BASE_US} * pow(2, (i - 1.5) / ${SKETCH_STEPS_PER_OCTAVE})))`;
  return `arrayMap(i -> ${value}, ${index})[1]`;
}

/**
 * Apdex from the summed sketch: satisfied are the buckets whose upper bound is at most T,
 * tolerating those up to 4·T (T is snapped down to a bucket bound by the caller's choice of
 * columns, so the score is exact for thresholds on a bound and conservative otherwise).
 */
export function sketchApdexSql(thresholdUs: number): string {
  const upTo = (limit: number) =>
    LATENCY_SKETCH_COLUMNS.filter((_, i) => i < SKETCH_BUCKETS - 1 && SKETCH_UPPER_BOUNDS[i]! <= limit);
  const sum = (cols: readonly string[]) => (cols.length ? cols.map((c) => `sum(${c})`).join(' + ') : '0');
  const satisfied = upTo(thresholdUs);
  const tolerating = upTo(4 * thresholdUs).slice(satisfied.length);
  const total = sum(LATENCY_SKETCH_COLUMNS);
  return `((${sum(satisfied)}) + (${sum(tolerating)}) / 2) / greatest(${total}, 1)`;
}

const delayMetric = (name: string, description: string, extra: Partial<MetricDef>): MetricDef => ({
  name,
  type: 'delay',
  unit: 'µs',
  description,
  defaultAgg: 'max',
  ...extra,
});

const avgOf = (name: string, sum: string, count: string, description: string): MetricDef => ({
  ...ratio(name, sum, count, description),
  unit: 'µs',
});

const APPLICATION_METRICS: MetricDef[] = [
  rowCount,
  counter('request', 'requests', 'requests', 'requests'),
  counter('response', 'responses', 'responses', 'requests that got a response'),
  counter('error', '(client_error + server_error)', 'requests', 'client and server errors'),
  counter('client_error', 'client_error', 'requests', 'client errors'),
  counter('server_error', 'server_error', 'requests', 'server errors'),
  counter('timeout', 'timeout', 'requests', 'requests without a response'),
  ratio('error_ratio', 'error', 'request', 'errors / requests'),
  ratio('client_error_ratio', 'client_error', 'request', 'client errors / requests'),
  ratio('server_error_ratio', 'server_error', 'request', 'server errors / requests'),
  ratio('timeout_ratio', 'timeout', 'request', 'timeouts / requests'),
  counter('response_duration_sum', 'latency_sum', 'µs', 'summed response time'),
  counter('response_duration_count', 'latency_count', 'responses', 'responses with a response time'),
  {
    ...avgOf(
      'response_duration',
      'response_duration_sum',
      'response_duration_count',
      'average response time',
    ),
    apdex: 'sketch',
  },
  delayMetric('response_duration_max', 'largest response time', { expr: 'latency_max' }),
  ...([50, 90, 99] as const).map((p) =>
    delayMetric(`response_duration_p${p}`, `p${p} response time from the latency sketch (±12%)`, {
      aggSql: sketchQuantileSql(p / 100),
    }),
  ),
  counter('request_length', 'request_bytes', 'bytes', 'request bytes'),
  counter('response_length', 'response_bytes', 'bytes', 'response bytes'),
];

const NETWORK_METRICS: MetricDef[] = [
  rowCount,
  counter('byte_tx', 'byte_tx', 'bytes', 'bytes client to server'),
  counter('byte_rx', 'byte_rx', 'bytes', 'bytes server to client'),
  counter('byte', '(byte_tx + byte_rx)', 'bytes', 'bytes both ways'),
  counter('packet_tx', 'packet_tx', 'packets', 'packets client to server'),
  counter('packet_rx', 'packet_rx', 'packets', 'packets server to client'),
  counter('packet', '(packet_tx + packet_rx)', 'packets', 'packets both ways'),
  counter('flow', 'flow', 'flows', 'flow-log intervals'),
  counter('new_flow', 'new_flow', 'flows', 'flows that started'),
  counter('closed_flow', 'closed_flow', 'flows', 'flows that ended'),
  counter('rtt_sum', 'rtt_sum', 'µs', 'summed handshake RTT'),
  counter('rtt_count', 'rtt_count', 'flows', 'flows with a measured RTT'),
  avgOf('rtt', 'rtt_sum', 'rtt_count', 'average TCP handshake RTT'),
  delayMetric('rtt_max', 'largest TCP handshake RTT', { expr: 'rtt_max' }),
  counter('srt_sum', 'srt_sum', 'µs', 'summed system response time'),
  counter('srt_count', 'srt_count', 'flows', 'intervals with an SRT'),
  avgOf('srt', 'srt_sum', 'srt_count', 'average system response time'),
  counter('art_sum', 'art_sum', 'µs', 'summed application response time'),
  counter('art_count', 'art_count', 'flows', 'intervals with an ART'),
  avgOf('art', 'art_sum', 'art_count', 'average application response time'),
  counter('retrans_tx', 'retrans_tx', 'packets', 'retransmissions client to server'),
  counter('retrans_rx', 'retrans_rx', 'packets', 'retransmissions server to client'),
  counter('retrans', '(retrans_tx + retrans_rx)', 'packets', 'retransmissions both ways'),
  counter('zero_win_tx', 'zero_win_tx', 'packets', 'zero-window events client to server'),
  counter('zero_win_rx', 'zero_win_rx', 'packets', 'zero-window events server to client'),
  counter('conn_failed', 'conn_failed', 'flows', 'connections that never completed the handshake'),
  counter('server_syn_miss', 'server_syn_miss', 'flows', 'SYNs the server never answered'),
  counter('client_ack_miss', 'client_ack_miss', 'flows', 'SYN-ACKs the client never acknowledged'),
  counter('client_rst', 'client_rst', 'flows', 'flows reset by the client'),
  counter('server_rst', 'server_rst', 'flows', 'flows reset by the server'),
  counter('close_timeout', 'close_timeout', 'flows', 'flows closed by idle timeout'),
  ratio('retrans_ratio', 'retrans', 'packet', 'retransmitted / all packets'),
  ratio('conn_failed_ratio', 'conn_failed', 'new_flow', 'failed connections / new flows'),
];

/** Server-side tables have `_1` columns only: `pod` and `pod_1` both name the server end. */
function serverOnly(tags: readonly TagDef[]): TagDef[] {
  const out: TagDef[] = [];
  for (const t of tags) {
    if (t.source.kind === 'either') out.push({ ...t.source.ends[1], name: t.name });
    else if (!JSON.stringify(t.source).includes('_0')) out.push(t);
  }
  return out;
}

function commonTags(app: boolean): TagDef[] {
  return [
    {
      name: 'time',
      type: 'time',
      description: 'window start, seconds since the epoch',
      source: { kind: 'seconds', column: 'start_time' },
    },
    tag('start_time', 'int', 'start_time', 'window start, µs since the epoch'),
    tag('server_port', 'int', 'server_port', 'server port'),
    tag('protocol', 'enum', 'protocol', 'transport protocol', asEnum(L4_PROTOCOL_VALUES)),
    tag('l7_protocol', 'enum', 'l7_protocol', 'application protocol', asEnum(L7_PROTOCOL_VALUES)),
    ...(app
      ? [
          tag('endpoint', 'string', 'endpoint', 'path without query or RPC method'),
          tag(
            'observation_point',
            'enum',
            'observation_point',
            'where the requests were seen',
            asEnum(OBSERVATION_POINT_VALUES),
          ),
        ]
      : []),
    tag('signal_source', 'enum', 'signal_source', 'how the data was captured', asEnum(SIGNAL_SOURCE_VALUES)),
    tag('agent_id', 'int', 'agent_id', 'agent that aggregated the row'),
  ];
}

function metricTable(base: string, res: string, description: string): TableDef {
  const app = base.startsWith('application');
  const edge = base.endsWith('_map');
  return {
    name: `${base}.${res}`,
    physical: `flow_metrics.${base}_${res}`,
    description: `${description}, ${res} resolution`,
    timeColumn: 'start_time',
    twoEnded: edge,
    tags: [...commonTags(app), ...(edge ? universalTags() : serverOnly(universalTags()))],
    customTags: CUSTOM_TAG_FAMILIES,
    metrics: app ? APPLICATION_METRICS : NETWORK_METRICS,
  };
}

const BASES = [
  ['application', 'RED per server service, instance, endpoint and protocol'],
  ['application_map', 'RED per client -> server edge'],
  ['network', 'throughput, RTT, retransmissions and connection failures per server'],
  ['network_map', 'throughput, RTT, retransmissions and connection failures per client -> server edge'],
] as const;

export const METRIC_TABLE_DEFS: readonly TableDef[] = BASES.flatMap(([base, description]) =>
  METRIC_RESOLUTIONS.map((res) => metricTable(base, res, description)),
);
