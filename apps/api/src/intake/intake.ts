/**
 * What the intake routes share: the Prometheus series store, resource names for linking,
 * counters and limits. One per API process.
 */
import type { ApiContext } from '../context';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from '../otlp/model';
import type { TimeSeries } from '../prom/series';
import { IntakeLimitError, PromStore, type WriteStats } from '../prom/store/prom-store';
import { type BodyLimits, DEFAULT_BODY_LIMITS } from './body';
import { IntakeError } from './errors';
import { ResourceNames } from './resource-tags';
import { IntakeStats } from './stats';

export interface IntakeLimits {
  body: BodyLimits;
  decode: DecodeLimits;
  maxSeriesPerRequest: number;
  maxSamplesPerRequest: number;
  /** distinct series stored in total (memory bound of the series index) */
  maxSeries: number;
}

export const DEFAULT_INTAKE_LIMITS: IntakeLimits = {
  body: DEFAULT_BODY_LIMITS,
  decode: DEFAULT_DECODE_LIMITS,
  maxSeriesPerRequest: 50_000,
  maxSamplesPerRequest: 500_000,
  maxSeries: 200_000,
};

export class Intake {
  readonly stats = new IntakeStats();
  readonly prom: PromStore;
  readonly names: ResourceNames;

  constructor(
    ctx: Pick<ApiContext, 'telemetry'>,
    readonly limits: IntakeLimits = DEFAULT_INTAKE_LIMITS,
  ) {
    this.prom = new PromStore(ctx.telemetry, limits.maxSeries);
    this.names = new ResourceNames(ctx.telemetry);
  }

  private readonly totals = new Map<string, number>();

  /** Running totals that turn OTLP delta points into cumulative samples (bounded like the series index). */
  readonly accumulate = (key: string, delta: number): number => {
    if (!this.totals.has(key) && this.totals.size >= this.limits.maxSeries) return delta;
    const v = (this.totals.get(key) ?? 0) + delta;
    this.totals.set(key, v);
    return v;
  };

  async writeSeries(series: readonly TimeSeries[]): Promise<WriteStats> {
    const samples = series.reduce((n, s) => n + s.samples.length, 0);
    if (samples > this.limits.maxSamplesPerRequest)
      throw new IntakeError(
        'bad_payload',
        `more than ${this.limits.maxSamplesPerRequest} samples in one request`,
      );
    try {
      return await this.prom.write(series, await this.names.fresh());
    } catch (err) {
      if (err instanceof IntakeLimitError) throw new IntakeError(err.code, err.message);
      throw err;
    }
  }
}
