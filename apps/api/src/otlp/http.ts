/**
 * OTLP/HTTP (https://opentelemetry.io/docs/specs/otlp/#otlphttp): POST /v1/traces,
 * /v1/metrics, /v1/logs with protobuf or JSON bodies, optionally gzip-compressed. Spans go
 * to flow_log.l7_flow_log, data points to the prometheus tables, logs to flow_log.app_log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeBatch, encodeBatch } from '@zeroscope/wire/codec';
import { REQUEST_LOG_COLUMNS } from '@zeroscope/wire/columns';
import type { ApiContext } from '../context';
import type { Router } from '../http/router';
import { INGEST_SCOPES, withToolAuth } from '../intake/auth';
import { readIntakeBody } from '../intake/body';
import { IntakeError } from '../intake/errors';
import { intakeRoute, mediaType } from '../intake/handler';
import type { Intake } from '../intake/intake';
import { decodeLogsJson, decodeMetricsJson, decodeTracesJson } from './decode-json';
import { logsToBatch } from './log-rows';
import { decodeLogsProto } from './logs-proto';
import { metricsToSeries } from './metric-series';
import { decodeMetricsProto } from './metrics-proto';
import type { Decoded } from './model';
import { spanToRow } from './span-rows';
import { decodeTracesProto } from './traces-proto';

type Format = 'proto' | 'json';

function formatOf(req: IncomingMessage): Format {
  const t = mediaType(req);
  if (t === 'application/x-protobuf' || t === 'application/protobuf') return 'proto';
  if (t === 'application/json') return 'json';
  throw new IntakeError(
    'unsupported_media_type',
    `Content-Type must be application/x-protobuf or application/json, got '${t.slice(0, 60) || 'none'}'`,
  );
}

function decoded<T>(r: Decoded<T>): T {
  if (!r.ok) throw new IntakeError('bad_payload', r.error);
  return r.value;
}

/** An empty Export*ServiceResponse: zero bytes in protobuf, `{}` in JSON. */
function ok(res: ServerResponse, format: Format): void {
  const body = format === 'proto' ? Buffer.alloc(0) : Buffer.from('{}');
  res.writeHead(200, {
    'content-type': format === 'proto' ? 'application/x-protobuf' : 'application/json',
    'content-length': body.length,
  });
  res.end(body);
}

export function registerOtlpRoutes(
  router: Router,
  ctx: Pick<ApiContext, 'auth' | 'telemetry'>,
  intake: Intake,
): void {
  const route = (path: string, fn: (body: Uint8Array, format: Format) => Promise<void>) => {
    const guarded = ctx.auth.guard(
      intakeRoute(intake.stats, async (req, res) => {
        const format = formatOf(req);
        await fn(await readIntakeBody(req, intake.limits.body), format);
        ok(res, format);
      }),
      { scopes: [...INGEST_SCOPES] },
    );
    router.on('POST', path, withToolAuth(guarded));
  };

  route('/v1/traces', async (body, format) => {
    const spans = decoded(
      format === 'proto'
        ? decodeTracesProto(body, intake.limits.decode)
        : decodeTracesJson(body, intake.limits.decode),
    );
    if (spans.length === 0) return;
    const lookup = await intake.names.fresh();
    const rows = spans.map((s) => spanToRow(s, lookup));
    const batch = decodeBatch(REQUEST_LOG_COLUMNS, encodeBatch(REQUEST_LOG_COLUMNS, rows as never[]), {
      maxRows: rows.length,
    });
    if (!batch.ok) throw new IntakeError('bad_payload', batch.error.message);
    await ctx.telemetry.insert('flow_log.l7_flow_log', batch.batch);
    intake.stats.accept('spans', spans.length);
  });

  route('/v1/metrics', async (body, format) => {
    const metrics = decoded(
      format === 'proto'
        ? decodeMetricsProto(body, intake.limits.decode)
        : decodeMetricsJson(body, intake.limits.decode),
    );
    const series = metricsToSeries(metrics, intake.accumulate);
    if (series.length > intake.limits.maxSeriesPerRequest)
      throw new IntakeError(
        'bad_payload',
        `more than ${intake.limits.maxSeriesPerRequest} series in one request`,
      );
    const r = await intake.writeSeries(series);
    intake.stats.accept('otlp_samples', r.samples);
  });

  route('/v1/logs', async (body, format) => {
    const logs = decoded(
      format === 'proto'
        ? decodeLogsProto(body, intake.limits.decode)
        : decodeLogsJson(body, intake.limits.decode),
    );
    if (logs.length === 0) return;
    await ctx.telemetry.insert('flow_log.app_log', logsToBatch(logs, await intake.names.fresh()));
    intake.stats.accept('logs', logs.length);
  });
}
