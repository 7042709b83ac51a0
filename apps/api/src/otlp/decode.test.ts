import { describe, expect, it } from 'vitest';
import { decodeLogsJson, decodeMetricsJson, decodeTracesJson } from './decode-json';
import { decodeLogsProto } from './logs-proto';
import { metricsToSeries } from './metric-series';
import { decodeMetricsProto } from './metrics-proto';
import type { OtlpMetric } from './model';
import { spanToRow } from './span-rows';
import { envelope, logs, metrics, span } from './testing';
import { decodeTracesProto } from './traces-proto';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const T0 = 1_700_000_000_000_000_000;

describe('OTLP protobuf decoding', () => {
  it('decodes spans with ids, times, attributes, status and resource', () => {
    const body = envelope('checkout', [
      span({
        trace: TRACE,
        span: '00f067aa0ba902b7',
        name: 'GET /pay',
        kind: 2,
        startNs: T0,
        endNs: T0 + 2_500_000,
      }),
      span({
        trace: TRACE,
        span: '1111111111111111',
        parent: '00f067aa0ba902b7',
        name: 'SELECT',
        kind: 3,
        startNs: T0 + 1000,
        endNs: T0 + 9000,
      }),
    ]);
    const r = decodeTracesProto(body);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [a, b] = r.value;
    expect(a).toMatchObject({
      traceId: TRACE,
      spanId: '00f067aa0ba902b7',
      parentSpanId: '',
      name: 'GET /pay',
      kind: 2,
      startUs: T0 / 1000,
      endUs: T0 / 1000 + 2500,
      statusCode: 2,
      statusMessage: 'upstream failed',
      scope: 'test-scope',
    });
    expect(a!.attributes).toEqual([
      { key: 'http.request.method', value: 'GET' },
      { key: 'http.response.status_code', value: 503 },
    ]);
    expect(a!.resource).toContainEqual({ key: 'service.name', value: 'checkout' });
    expect(b!.parentSpanId).toBe('00f067aa0ba902b7');

    const row = spanToRow(a!, (kind, name) => (kind === 'pod' && name === 'cart-1' ? 9 : undefined));
    expect(row).toMatchObject({
      observation_point: 'app',
      signal_source: 'otel',
      l7_protocol: 'http1',
      request_type: 'GET',
      endpoint: 'GET /pay',
      response_code: 503,
      response_status: 'server_error',
      response_duration: 2500,
      trace_id: TRACE,
      span_id: '00f067aa0ba902b7',
      pod_id_1: 9,
      auto_instance_id_1: 9,
    });
    expect(row.attribute_names[0]).toBe('service.name');
    expect(row.attribute_values[0]).toBe('checkout');
    // client spans put the caller's resource on the _0 end
    const client = spanToRow(b!, () => 9);
    expect([client.pod_id_0, client.pod_id_1 ?? 0]).toEqual([9, 0]);
  });

  it('decodes histograms and monotonic sums into Prometheus series', () => {
    const r = decodeMetricsProto(metrics(T0));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((m) => [m.name, m.type, m.monotonic, m.temporality])).toEqual([
      ['http.server.duration', 'histogram', false, 2],
      ['http.requests', 'sum', true, 2],
    ]);
    const series = metricsToSeries(r.value).map((s) => [Object.fromEntries(s.labels), s.samples[0]!.v]);
    const t = T0 / 1e6;
    expect(series).toContainEqual([
      {
        __name__: 'http_server_duration_bucket',
        job: 'shop',
        k8s_pod_name: 'cart-1',
        le: '0.1',
        route: '/a',
      },
      1,
    ]);
    expect(series).toContainEqual([
      { __name__: 'http_server_duration_bucket', job: 'shop', k8s_pod_name: 'cart-1', le: '1', route: '/a' },
      3,
    ]);
    expect(series).toContainEqual([
      {
        __name__: 'http_server_duration_bucket',
        job: 'shop',
        k8s_pod_name: 'cart-1',
        le: '+Inf',
        route: '/a',
      },
      6,
    ]);
    expect(series).toContainEqual([
      { __name__: 'http_server_duration_count', job: 'shop', k8s_pod_name: 'cart-1', route: '/a' },
      6,
    ]);
    expect(series).toContainEqual([
      { __name__: 'http_server_duration_sum', job: 'shop', k8s_pod_name: 'cart-1', route: '/a' },
      7.5,
    ]);
    expect(series).toContainEqual([
      { __name__: 'http_requests_total', job: 'shop', k8s_pod_name: 'cart-1', route: '/a' },
      42,
    ]);
    expect(metricsToSeries(r.value)[0]!.samples[0]!.t).toBe(t);
  });

  it('decodes log records', () => {
    const r = decodeLogsProto(logs(T0, TRACE));
    expect(r.ok && r.value[0]).toMatchObject({
      timeUs: T0 / 1000,
      severityNumber: 17,
      severityText: 'ERROR',
      body: 'payment declined',
      traceId: TRACE,
      attributes: [{ key: 'order', value: '42' }],
    });
  });

  it('reports truncated input as one error instead of throwing', () => {
    const body = envelope('x', [
      span({ trace: TRACE, span: '00f067aa0ba902b7', name: 'n', kind: 1, startNs: 1, endNs: 2 }),
    ]);
    const r = decodeTracesProto(body.subarray(0, body.length - 3));
    expect(r).toEqual({
      ok: false,
      error: expect.stringMatching(/^malformed OTLP traces protobuf: .* at byte \d+$/),
    });
  });

  it('caps the number of items', () => {
    const body = envelope(
      'x',
      [1, 2, 3].map((i) =>
        span({ trace: TRACE, span: `000000000000000${i}`, name: 'n', kind: 1, startNs: 1, endNs: 2 }),
      ),
    );
    expect(decodeTracesProto(body, { maxItems: 2, maxAttributes: 8, maxDepth: 4 })).toEqual({
      ok: false,
      error: 'more than 2 spans in one request',
    });
  });
});

describe('OTLP JSON decoding', () => {
  const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

  it('reads the same fields as protobuf, with enum names and string int64s', () => {
    const r = decodeTracesJson(
      enc({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'web' } }] },
            scopeSpans: [
              {
                scope: { name: 's' },
                spans: [
                  {
                    traceId: TRACE,
                    spanId: '00f067aa0ba902b7',
                    name: 'GET /',
                    kind: 'SPAN_KIND_SERVER',
                    startTimeUnixNano: String(T0),
                    endTimeUnixNano: String(T0 + 1000),
                    attributes: [
                      { key: 'http.status_code', value: { intValue: '404' } },
                      {
                        key: 'tags',
                        value: { arrayValue: { values: [{ stringValue: 'a' }, { boolValue: true }] } },
                      },
                    ],
                    status: { code: 2 },
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(r.ok && r.value[0]).toMatchObject({
      traceId: TRACE,
      kind: 2,
      startUs: T0 / 1000,
      statusCode: 2,
      attributes: [
        { key: 'http.status_code', value: 404 },
        { key: 'tags', value: ['a', true] },
      ],
    });
    expect(r.ok && spanToRow(r.value[0]!, () => undefined).response_status).toBe('client_error');
  });

  it('reads metrics and logs', () => {
    const m = decodeMetricsJson(
      enc({
        resourceMetrics: [
          {
            scopeMetrics: [
              {
                metrics: [
                  { name: 'q', gauge: { dataPoints: [{ asInt: '7', timeUnixNano: '1000000' }] } },
                  {
                    name: 'lat',
                    summary: {
                      dataPoints: [{ count: 2, sum: 3, quantileValues: [{ quantile: 0.5, value: 1 }] }],
                    },
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(m.ok && metricsToSeries(m.value).map((s) => [Object.fromEntries(s.labels), s.samples[0]])).toEqual(
      [
        [{ __name__: 'q' }, { t: 1, v: 7 }],
        [
          { __name__: 'lat', quantile: '0.5' },
          { t: 0, v: 1 },
        ],
        [{ __name__: 'lat_sum' }, { t: 0, v: 3 }],
        [{ __name__: 'lat_count' }, { t: 0, v: 2 }],
      ],
    );
    const l = decodeLogsJson(
      enc({
        resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'hi' }, severityNumber: 9 }] }] }],
      }),
    );
    expect(l.ok && l.value[0]).toMatchObject({ body: 'hi', severityNumber: 9 });
  });

  it('rejects non-JSON with a message', () => {
    expect(decodeTracesJson(new TextEncoder().encode('{"resourceSpans": ['))).toEqual({
      ok: false,
      error: expect.stringMatching(/^malformed JSON/),
    });
  });
});

describe('OTLP delta temporality', () => {
  it('accumulates delta sums into cumulative counters per series', () => {
    const totals = new Map<string, number>();
    const acc = (k: string, d: number) => {
      const v = (totals.get(k) ?? 0) + d;
      totals.set(k, v);
      return v;
    };
    const delta = (v: number, route: string, temporality = 1): OtlpMetric => ({
      name: 'jobs',
      unit: '',
      description: '',
      type: 'sum',
      monotonic: true,
      temporality,
      points: [{ attributes: [{ key: 'route', value: route }], timeUs: 1000, value: v }],
      resource: [],
      scope: '',
    });
    const run = (v: number, route = '/a', temporality = 1) =>
      metricsToSeries([delta(v, route, temporality)], acc)[0]!.samples[0]!.v;
    expect([run(3), run(4), run(1, '/b'), run(5)]).toEqual([3, 7, 1, 12]);
    // cumulative points pass through unchanged
    expect(run(9, '/a', 2)).toBe(9);
  });
});
