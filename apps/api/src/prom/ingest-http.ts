/**
 * Metric intake in other tools' formats: Prometheus remote write 1.0 (POST /api/v1/write,
 * snappy-compressed protobuf) and InfluxDB line protocol (POST /api/v2/write, as Telegraf's
 * influxdb_v2 output sends it, and POST /write as the 1.x output does; `precision`, gzip).
 */
import type { ApiContext } from '../context';
import type { Router } from '../http/router';
import { INGEST_SCOPES, withToolAuth } from '../intake/auth';
import { readIntakeBody } from '../intake/body';
import { IntakeError } from '../intake/errors';
import { intakeRoute } from '../intake/handler';
import type { Intake } from '../intake/intake';
import { type Precision, parseInflux } from './influx';
import { decodeRemoteWrite } from './remote-write';

const PRECISIONS: readonly string[] = ['ns', 'us', 'ms', 's'];

export function registerPromIngestRoutes(
  router: Router,
  ctx: Pick<ApiContext, 'auth'>,
  intake: Intake,
): void {
  const post = (path: string, fn: Parameters<typeof intakeRoute>[1]) => {
    const guarded = ctx.auth.guard(intakeRoute(intake.stats, fn), { scopes: [...INGEST_SCOPES] });
    router.on('POST', path, withToolAuth(guarded));
  };

  post('/api/v1/write', async (req, res) => {
    const body = await readIntakeBody(req, intake.limits.body, { snappy: true });
    const r = decodeRemoteWrite(body, {
      maxSeries: intake.limits.maxSeriesPerRequest,
      maxSamples: intake.limits.maxSamplesPerRequest,
      maxLabels: 128,
    });
    if (!r.ok) throw new IntakeError('bad_payload', r.error);
    const w = await intake.writeSeries(r.value);
    intake.stats.accept('remote_write_samples', w.samples);
    res.writeHead(204).end();
  });

  const influx: Parameters<typeof intakeRoute>[1] = async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // v2 says ns/us/ms/s; v1 (/write) also n/u
    const raw = url.searchParams.get('precision') ?? 'ns';
    const p = raw === 'n' ? 'ns' : raw === 'u' ? 'us' : raw;
    if (!PRECISIONS.includes(p))
      throw new IntakeError('bad_payload', `precision must be one of ${PRECISIONS.join(', ')}`);
    const body = await readIntakeBody(req, intake.limits.body);
    const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    const r = parseInflux(text, { precision: p as Precision, maxSeries: intake.limits.maxSeriesPerRequest });
    if (r.series.length > 0) {
      const w = await intake.writeSeries(r.series);
      intake.stats.accept('influx_samples', w.samples);
    }
    if (r.badLines > 0)
      throw new IntakeError(
        'bad_payload',
        `${r.series.length > 0 ? 'partial write: ' : ''}${r.badLines} bad line(s): ${r.errors.join('; ')}`,
      );
    res.writeHead(204).end();
  };
  post('/api/v2/write', influx);
  // InfluxDB 1.x write API (Telegraf's `outputs.influxdb`); the db/rp parameters are ignored
  post('/write', influx);
}
