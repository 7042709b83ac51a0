/**
 * An app instrumented with the OpenTelemetry JS SDK, run as its own process by
 * otel-intake.test.ts (so the eBPF capture, which never watches its own process, sees it):
 * an HTTP server ('shop') and a client ('frontend') that calls it REQUESTS times, propagating W3C traceparent,
 * exporting spans and metrics over OTLP/HTTP protobuf. Prints the client spans' ids as JSON.
 * argv: apiBase token port requests
 */
const http = require('node:http');
const api = require('@opentelemetry/api');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { OTLPMetricExporter } = require('@opentelemetry/exporter-metrics-otlp-proto');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { MeterProvider, PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics');
const { BasicTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');

const [base, token, portText, requestsText] = process.argv.slice(2);
const port = Number(portText);
const requests = Number(requestsText);
const headers = { authorization: `Bearer ${token}` };
const resource = resourceFromAttributes({ 'service.name': 'shop', 'service.instance.id': 'shop-1' });
const propagator = new W3CTraceContextPropagator();
// two services in one process: the client side reports as 'frontend', the server as 'shop'
const provider = (r) =>
  new BasicTracerProvider({
    resource: r,
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${base}/v1/traces`, headers }))],
  });
const tracerProvider = provider(resource);
const frontendProvider = provider(resourceFromAttributes({ 'service.name': 'frontend' }));
const meterProvider = new MeterProvider({
  resource,
  readers: [
    new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: `${base}/v1/metrics`, headers }),
      exportIntervalMillis: 60_000,
    }),
  ],
});
const tracer = tracerProvider.getTracer('otel-app');
const clientTracer = frontendProvider.getTracer('otel-app');
const meter = meterProvider.getMeter('otel-app');
const counter = meter.createCounter('demo.requests');
const latency = meter.createHistogram('demo.latency', { unit: 'ms' });

const server = http.createServer((req, res) => {
  const parent = propagator.extract(api.ROOT_CONTEXT, req.headers, api.defaultTextMapGetter);
  const span = tracer.startSpan(
    `GET ${req.url}`,
    { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': req.url } },
    parent,
  );
  counter.add(1, { route: '/items' });
  latency.record(5 + req.url.length, { route: '/items' });
  res.end('ok', () => {
    span.setAttribute('http.response.status_code', 200);
    span.end();
  });
});

function get(path, carrier) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers: carrier, agent: false }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
      .on('error', reject);
  });
}

server.listen(port, '127.0.0.1', async () => {
  const spans = [];
  for (let i = 0; i < requests; i++) {
    const span = clientTracer.startSpan(`GET /items/${i}`, {
      kind: api.SpanKind.CLIENT,
      attributes: { 'http.request.method': 'GET', 'server.port': port },
    });
    const carrier = {};
    propagator.inject(api.trace.setSpan(api.ROOT_CONTEXT, span), carrier, api.defaultTextMapSetter);
    await get(`/items/${i}`, carrier);
    span.setAttribute('http.response.status_code', 200);
    span.end();
    spans.push(span.spanContext());
  }
  await Promise.all([tracerProvider.forceFlush(), frontendProvider.forceFlush(), meterProvider.forceFlush()]);
  await Promise.all([tracerProvider.shutdown(), frontendProvider.shutdown(), meterProvider.shutdown()]);
  server.close();
  process.stdout.write(`${JSON.stringify(spans.map((s) => ({ traceId: s.traceId, spanId: s.spanId })))}\n`);
});
