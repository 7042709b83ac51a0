/**
 * OTLP intake end to end (PRODUCT.md §2.8, issue 12): the real OpenTelemetry JS SDK and its
 * OTLP exporters (protobuf and JSON, gzip) send spans, metrics and logs to the API. Spans land
 * in l7_flow_log as app spans, metrics are queryable through /prom, logs land in app_log.
 * With root, the real eBPF capture watches the same HTTP requests (the agent reads the
 * traceparent header the SDK injected), and the trace-by-id API returns app spans joined with
 * the kernel's c-p/s-p records of the same request.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter as OTLPMetricJsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter as OTLPTraceJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { type EbpfCapture, startEbpfCapture } from '@zeroscope/agent/ebpf';
import { createPipeline, type Pipeline } from '@zeroscope/agent/pipeline';
import { Sender } from '@zeroscope/agent/sender';
import { ensureBuilt } from '@zeroscope/bpf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTracesProto } from '../src/otlp/traces-proto';
import { ADMIN_TOKEN, AGENT_TOKEN, type IntakeApi, prom, startIntakeApi } from './intake-helpers';
import { freePort, waitFor } from './link-helpers';

const isRoot = process.getuid?.() === 0;
const REQUESTS = 5;
const HERE = dirname(fileURLToPath(import.meta.url));

describe('OTLP intake with the OpenTelemetry JS SDK', () => {
  let api: IntakeApi;
  let cap: EbpfCapture | undefined;
  let pipeline: Pipeline | undefined;
  let sender: Sender | undefined;
  let clientSpans: { traceId: string; spanId: string }[] = [];

  beforeAll(async () => {
    api = await startIntakeApi();
    const port = await freePort();
    if (isRoot) {
      ensureBuilt();
      sender = new Sender({ url: `ws://127.0.0.1:${api.port}`, token: AGENT_TOKEN, hostname: 'otel-intake' });
      const s = sender;
      pipeline = createPipeline({ onRecord: (r) => s.enqueue({ kind: 'request_log', ...r }) });
      const p = pipeline;
      cap = await startEbpfCapture({ ports: [port], onChunk: (c) => p.push(c) });
    }
    // the instrumented app runs as its own process, as apps do
    const app = spawn(
      process.execPath,
      [join(HERE, 'otel-app.cjs'), api.base, api.ingestToken, String(port), String(REQUESTS)],
      { cwd: HERE, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    app.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
    });
    const [code] = (await once(app, 'exit')) as [number];
    expect(code).toBe(0);
    clientSpans = JSON.parse(out.trim()) as typeof clientSpans;
    if (cap && pipeline && sender) {
      await new Promise((r) => setTimeout(r, 300)); // the ring buffer's timer
      pipeline.flush();
      await sender.flush();
      await waitFor(() => sender!.stats().bufferedRows === 0, 20_000, 'eBPF rows acked');
    }
  });

  afterAll(async () => {
    await cap?.stop();
    await sender?.close();
    await api?.close();
  });

  it('stores SDK spans as app spans with their trace and span ids', async () => {
    const rows = await api.ctx.telemetry.query<Record<string, unknown>>(
      `SELECT trace_id, span_id, parent_span_id, observation_point, signal_source, endpoint, request_type, response_code
       FROM flow_log.l7_flow_log WHERE signal_source = 'otel' ORDER BY start_time`,
    );
    expect(rows).toHaveLength(2 * REQUESTS);
    for (const ctx of clientSpans) {
      const client = rows.find((r) => r.span_id === ctx.spanId);
      const srv = rows.find((r) => r.parent_span_id === ctx.spanId);
      expect(client).toMatchObject({ trace_id: ctx.traceId, observation_point: 'app', request_type: 'GET' });
      expect(srv).toMatchObject({ trace_id: ctx.traceId, observation_point: 'app', response_code: 200 });
    }
    expect(api.routes.intake.stats.snapshot().accepted.spans).toBe(2 * REQUESTS);
  });

  it.skipIf(!isRoot)('joins app spans with the eBPF records of the same request (trace by id)', async () => {
    const ctx = clientSpans[2]!;
    const ebpf = await api.ctx.telemetry.query<Record<string, unknown>>(
      `SELECT observation_point, span_id FROM flow_log.l7_flow_log WHERE trace_id = {t:String} AND signal_source = 'ebpf'`,
      { t: ctx.traceId },
    );
    // the agent read traceparent on both ends: the caller's span id is the record's span_id
    expect(ebpf.map((r) => r.observation_point).sort()).toEqual(['c-p', 's-p']);
    expect(ebpf.every((r) => r.span_id === ctx.spanId)).toBe(true);

    const res = await fetch(`${api.base}/api/traces/${ctx.traceId}`, {
      headers: { authorization: `Bearer ${api.readToken}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      data: {
        traceID: string;
        spans: {
          spanID: string;
          references: { spanID: string }[];
          tags: { key: string; value: unknown }[];
        }[];
      }[];
    };
    const t = body.data[0]!;
    expect(t.traceID).toBe(ctx.traceId);
    const op = (s: (typeof t.spans)[number]) =>
      s.tags.find((x) => x.key === 'zeroscope.observation_point')?.value;
    const parentOf = (s: (typeof t.spans)[number]) =>
      t.spans.find((p) => p.spanID === s.references[0]?.spanID);
    const appClient = t.spans.find((s) => s.spanID === ctx.spanId)!;
    const appServer = t.spans.find((s) => op(s) === 'app' && s.spanID !== ctx.spanId)!;
    expect(op(appClient)).toBe('app');
    // app client span -> c-p -> s-p -> app server span: one tree across SDK and kernel
    const sp = parentOf(appServer)!;
    expect(op(sp)).toBe('s-p');
    const cp = parentOf(sp)!;
    expect(op(cp)).toBe('c-p');
    expect(parentOf(cp)?.spanID).toBe(ctx.spanId);

    // the same trace as Tempo's protobuf (what Grafana's Tempo datasource asks for)
    const pb = await fetch(`${api.base}/api/traces/${ctx.traceId}`, {
      headers: { authorization: `Bearer ${api.readToken}`, accept: 'application/protobuf' },
    });
    expect(pb.headers.get('content-type')).toBe('application/protobuf');
    const decoded = decodeTracesProto(new Uint8Array(await pb.arrayBuffer()));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.value.map((s) => s.spanId).sort()).toEqual(t.spans.map((s) => s.spanID).sort());
    expect(new Set(decoded.value.map((s) => s.traceId))).toEqual(new Set([ctx.traceId]));
    const server = decoded.value.find((s) => s.spanId === appServer.spanID)!;
    expect(server.parentSpanId).toBe(sp.spanID);
    expect(server.resource).toEqual([{ key: 'service.name', value: 'shop' }]);
    const v2 = await fetch(`${api.base}/api/v2/traces/${ctx.traceId}`, {
      headers: { authorization: `Bearer ${api.readToken}` },
    });
    expect(
      ((await v2.json()) as { trace: { resourceSpans: unknown[] } }).trace.resourceSpans.length,
    ).toBeGreaterThan(0);
  });

  it('serves SDK metrics through the Prometheus query API', async () => {
    const q = await prom(api, `query?query=${encodeURIComponent('sum by (job) (demo_requests_total)')}`);
    expect(q.status).toBe(200);
    expect(q.body.data.resultType).toBe('vector');
    expect(q.body.data.result).toEqual([
      { metric: { job: 'shop' }, value: [expect.any(Number), String(REQUESTS)] },
    ]);
    // every request took 5 + len('/items/i') = 13 ms: the median falls in the (10, 25] bucket
    const p50 = await prom(
      api,
      `query?query=${encodeURIComponent('histogram_quantile(0.5, sum by (le) (demo_latency_bucket))')}`,
    );
    const v = Number(p50.body.data.result[0].value[1]);
    expect(v).toBeGreaterThan(10);
    expect(v).toBeLessThanOrEqual(25);
    const names = await prom(api, 'label/__name__/values');
    expect(names.body.data).toEqual(expect.arrayContaining(['demo_requests_total', 'demo_latency_bucket']));
    const series = await prom(
      api,
      `series?match[]=${encodeURIComponent('demo_requests_total{route="/items"}')}`,
    );
    expect(series.body.data).toEqual([
      { __name__: 'demo_requests_total', instance: 'shop-1', job: 'shop', route: '/items' },
    ]);
  });

  it('accepts OTLP/JSON (gzip) traces, metrics and logs', async () => {
    const headers = { authorization: `Bearer ${api.ingestToken}` };
    const resource = resourceFromAttributes({ 'service.name': 'json-svc' });
    const tp = new BasicTracerProvider({
      resource,
      spanProcessors: [
        new SimpleSpanProcessor(
          new OTLPTraceJsonExporter({ url: `${api.base}/v1/traces`, headers, compression: 'gzip' as never }),
        ),
      ],
    });
    const span = tp.getTracer('json').startSpan('checkout', { kind: SpanKind.INTERNAL });
    span.end();
    await tp.forceFlush();
    const mp = new MeterProvider({
      resource,
      readers: [
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricJsonExporter({
            url: `${api.base}/v1/metrics`,
            headers,
            compression: 'gzip' as never,
          }),
          exportIntervalMillis: 60_000,
        }),
      ],
    });
    mp.getMeter('json').createUpDownCounter('queue.depth').add(7, { queue: 'orders' });
    await mp.forceFlush();
    const lp = new LoggerProvider({
      resource,
      processors: [
        new SimpleLogRecordProcessor(new OTLPLogExporter({ url: `${api.base}/v1/logs`, headers })),
      ],
    });
    lp.getLogger('json').emit({
      severityNumber: SeverityNumber.ERROR,
      severityText: 'ERROR',
      body: 'payment declined',
      attributes: { order: 42 },
      context: trace.setSpan(ROOT_CONTEXT, span),
    });
    await lp.forceFlush();
    await Promise.all([tp.shutdown(), mp.shutdown(), lp.shutdown()]);

    const spans = await api.ctx.telemetry.query<{ endpoint: string; trace_id: string }>(
      `SELECT endpoint, trace_id FROM flow_log.l7_flow_log WHERE process_kname_1 = 'json-svc'`,
    );
    expect(spans).toEqual([{ endpoint: 'checkout', trace_id: span.spanContext().traceId }]);
    const q = await prom(api, `query?query=${encodeURIComponent('queue_depth{queue="orders"}')}`);
    expect(q.body.data.result[0].value[1]).toBe('7');
    const logs = await api.ctx.telemetry.query<Record<string, unknown>>(
      'SELECT body, severity_text, trace_id, service, attribute_names FROM flow_log.app_log',
    );
    expect(logs).toEqual([
      {
        body: 'payment declined',
        severity_text: 'ERROR',
        trace_id: span.spanContext().traceId,
        service: 'json-svc',
        attribute_names: ['order'],
      },
    ]);
  });

  it('needs an ingest or agent token, and answers bad payloads with counted 4xx JSON errors', async () => {
    const post = (token: string | undefined, body: Uint8Array | string, type = 'application/x-protobuf') =>
      fetch(`${api.base}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body,
      });
    expect((await post(undefined, new Uint8Array())).status).toBe(401);
    expect((await post(ADMIN_TOKEN, new Uint8Array())).status).toBe(403);
    expect((await post(api.readToken, new Uint8Array())).status).toBe(403);
    expect((await post(AGENT_TOKEN, new Uint8Array())).status).toBe(200);
    const before = api.routes.intake.stats.snapshot().rejected;
    const bad = await post(api.ingestToken, Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2]));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: 'bad_payload',
      message: expect.stringMatching(/^malformed OTLP traces protobuf: length \d+ past the end at byte \d+$/),
    });
    const wrongType = await post(api.ingestToken, 'x', 'text/plain');
    expect(wrongType.status).toBe(415);
    const notGzip = await fetch(`${api.base}/v1/traces`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        authorization: `Bearer ${api.ingestToken}`,
      },
      body: '{}',
    });
    expect(notGzip.status).toBe(400);
    const after = api.routes.intake.stats.snapshot().rejected;
    expect(after.bad_payload).toBe((before.bad_payload ?? 0) + 1);
    expect(after.unsupported_media_type).toBe((before.unsupported_media_type ?? 0) + 1);
    expect(after.bad_encoding).toBe((before.bad_encoding ?? 0) + 1);
    const stats = await fetch(`${api.base}/v1/intake/stats`, {
      headers: { authorization: `Bearer ${api.readToken}` },
    });
    expect(await stats.json()).toMatchObject({ rejected: after, series: expect.any(Number) });
  });
});
