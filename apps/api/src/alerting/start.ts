/** Starts this instance's alert evaluator; only the lease holder among instances evaluates. */
import type { ApiContext } from '../context';
import { AlertEvaluator } from './evaluator';

export function startAlerting(ctx: Pick<ApiContext, 'env' | 'resources' | 'telemetry'>): AlertEvaluator {
  const ev = new AlertEvaluator(ctx.resources.db, ctx.telemetry, { intervalMs: ctx.env.alertIntervalMs });
  ev.start();
  return ev;
}
