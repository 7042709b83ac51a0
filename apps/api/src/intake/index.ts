/** Public surface of the multi-source intake (for benchmarks and tools outside the API). */
export { decodeLogsJson, decodeMetricsJson, decodeTracesJson } from '../otlp/decode-json';
export { decodeLogsProto } from '../otlp/logs-proto';
export { decodeMetricsProto } from '../otlp/metrics-proto';
export { spanToRow } from '../otlp/span-rows';
export { ProtoWriter } from '../otlp/testing';
export { decodeTracesProto } from '../otlp/traces-proto';
export { parseInflux } from '../prom/influx';
export { instantQuery, rangeQuery } from '../prom/promql/query';
export { decodeRemoteWrite } from '../prom/remote-write';
export { type Labels, sortLabels, type TimeSeries } from '../prom/series';
export { unsnappy } from '../prom/snappy';
export { PromStore } from '../prom/store/prom-store';
export { remoteWrite, snappyCompress } from '../prom/testing';
