/** Alert events in ClickHouse `event.alert_event` (migration 011) and the history query. */
import type { TelemetryStore } from '../storage/types';
import type { EventType } from './types';

export const ALERT_EVENT_TABLE = 'event.alert_event';

export interface AlertEvent {
  /** ms since the epoch */
  time: number;
  ruleId: number;
  ruleName: string;
  seriesKey: string;
  labels: Record<string, string>;
  type: EventType;
  severity: string;
  value: number | null;
  threshold: number;
  message: string;
}

export async function writeAlertEvents(
  store: Pick<TelemetryStore, 'command'>,
  events: readonly AlertEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const body = events
    .map((e) =>
      JSON.stringify({
        time: (e.time / 1000).toFixed(6),
        rule_id: e.ruleId,
        rule_name: e.ruleName,
        series_key: e.seriesKey,
        labels: JSON.stringify(e.labels),
        event_type: e.type,
        severity: e.severity,
        value: e.value !== null && Number.isFinite(e.value) ? e.value : null,
        threshold: e.threshold,
        message: e.message,
      }),
    )
    .join('\n');
  await store.command(`INSERT INTO ${ALERT_EVENT_TABLE} FORMAT JSONEachRow\n${body}`);
}

export interface HistoryQuery {
  /** seconds since the epoch */
  start: number;
  end: number;
  ruleId?: number;
  types?: EventType[];
  limit: number;
}

interface Row {
  t: string;
  rule_id: number;
  rule_name: string;
  series_key: string;
  labels: string;
  event_type: EventType;
  severity: string;
  value: number | null;
  threshold: number;
  message: string;
}

export async function alertHistory(
  store: Pick<TelemetryStore, 'query'>,
  q: HistoryQuery,
): Promise<AlertEvent[]> {
  const where = [
    'time >= fromUnixTimestamp64Micro({start:Int64})',
    'time < fromUnixTimestamp64Micro({end:Int64})',
  ];
  const params: Record<string, unknown> = {
    start: Math.floor(q.start * 1e6),
    end: Math.ceil(q.end * 1e6),
    limit: q.limit,
  };
  if (q.ruleId !== undefined) {
    where.push('rule_id = {rule:UInt32}');
    params.rule = q.ruleId;
  }
  if (q.types && q.types.length > 0) {
    where.push('event_type IN {types:Array(String)}');
    params.types = q.types;
  }
  const rows = await store.query<Row>(
    `SELECT toString(toUnixTimestamp64Micro(time)) AS t, rule_id, rule_name, series_key, labels, event_type, severity, value, threshold, message
     FROM ${ALERT_EVENT_TABLE} WHERE ${where.join(' AND ')} ORDER BY time DESC LIMIT {limit:UInt32}`,
    params,
  );
  return rows.map((r) => ({
    time: Number(r.t) / 1000,
    ruleId: Number(r.rule_id),
    ruleName: r.rule_name,
    seriesKey: r.series_key,
    labels: safeLabels(r.labels),
    type: r.event_type,
    severity: r.severity,
    value: r.value === null ? null : Number(r.value),
    threshold: Number(r.threshold),
    message: r.message,
  }));
}

function safeLabels(s: string): Record<string, string> {
  try {
    const v = JSON.parse(s);
    return typeof v === 'object' && v !== null ? v : {};
  } catch {
    return {};
  }
}
