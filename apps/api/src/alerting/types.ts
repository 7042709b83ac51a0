/** Alerting's vocabulary (PRODUCT.md §2.10): rules, per-series state, transitions, notifications. */

export const OPS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type Op = (typeof OPS)[number];

/** What a series without data means: healthy, breaching, or unchanged. */
export const NO_DATA = ['ok', 'alerting', 'keep'] as const;
export type NoData = (typeof NO_DATA)[number];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Condition {
  op: Op;
  threshold: number;
  noData: NoData;
}

/** A rule as users write it (UI, YAML); channels by id here, by name in YAML. */
export interface RuleSpec {
  name: string;
  description?: string;
  /** Zeroscope query language; tag columns become labels, the last column is the value */
  query: string;
  condition: Condition;
  forSeconds: number;
  windowSeconds: number;
  repeatSeconds: number;
  severity: Severity;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  groupBy: string[];
  channelIds: number[];
  template?: string;
  enabled: boolean;
}

export interface Rule extends RuleSpec {
  id: number;
}

/** One row of a rule's query: its labels and value (null: the series has no data). */
export interface Sample {
  key: string;
  labels: Record<string, string>;
  value: number | null;
}

export type SeriesStatus = 'ok' | 'pending' | 'firing';

export interface SeriesState {
  key: string;
  labels: Record<string, string>;
  status: SeriesStatus;
  /** ms since the epoch the series entered `status` */
  since: number;
  value: number | null;
  /** true while the value is missing (no-data policy `alerting`) */
  noData: boolean;
  firedAt?: number;
  notifiedAt?: number;
}

export type EventType =
  | 'pending'
  | 'firing'
  | 'resolved'
  | 'cleared'
  | 'nodata'
  | 'error'
  | 'silenced'
  | 'notified'
  | 'notify_failed';

export interface Transition {
  key: string;
  labels: Record<string, string>;
  type: EventType;
  value: number | null;
}

export interface AlertItem {
  labels: Record<string, string>;
  value: number | null;
  status: 'firing' | 'resolved';
  startsAt: string;
  endsAt?: string;
  /** the rule's annotations with this alert's labels and value filled in */
  annotations: Record<string, string>;
}

/** One message to the rule's channels for one group of series. */
export interface Notification {
  ruleId: number;
  ruleName: string;
  severity: Severity;
  status: 'firing' | 'resolved';
  groupKey: string;
  groupLabels: Record<string, string>;
  annotations: Record<string, string>;
  condition: Condition;
  alerts: AlertItem[];
}
