/** What every part of the API is handed at start. */
import type { AlertEvaluator } from './alerting/evaluator';
import type { Auth } from './auth/auth';
import type { Env } from './env';
import type { ResourceStore } from './resources/store';
import type { TelemetryStore } from './storage/telemetry';

export interface ApiContext {
  env: Env;
  telemetry: TelemetryStore;
  resources: ResourceStore;
  auth: Auth;
  /** this instance's alert evaluator, when started (main.ts) */
  alerts?: AlertEvaluator;
}
