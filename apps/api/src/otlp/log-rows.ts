/** OTLP log records as flow_log.app_log rows (migration 013), linked to resources like spans. */

import type { ColumnBatch } from '@zeroscope/wire/codec';
import { columnBatch } from '../intake/batch';
import { INTAKE_TAG_NAMES, type NameLookup, resolveTags } from '../intake/resource-tags';
import { APP_LOG_COLUMNS } from '../storage/migrations/013_app_log';
import { attrString, attrText, type OtlpLog } from './model';

const MAX_BODY = 16 * 1024;

export function logsToBatch(
  logs: readonly OtlpLog[],
  lookup: NameLookup,
  nowUs = Date.now() * 1000,
): ColumnBatch {
  const cols: Record<string, (number | string | string[])[]> = Object.fromEntries(
    APP_LOG_COLUMNS.map((c) => [c.name, []]),
  );
  for (const l of logs) {
    const tags = resolveTags((k) => attrString(l.resource, k) ?? attrString(l.attributes, k), lookup);
    const body = attrText(l.body);
    cols.time!.push(l.timeUs || l.observedUs || nowUs);
    cols.trace_id!.push(l.traceId);
    cols.span_id!.push(l.spanId);
    cols.severity_number!.push(Math.min(255, l.severityNumber));
    cols.severity_text!.push(l.severityText.slice(0, 64));
    cols.service!.push(attrString(l.resource, 'service.name') ?? '');
    cols.scope!.push(l.scope.slice(0, 256));
    cols.body!.push(body.length > MAX_BODY ? body.slice(0, MAX_BODY) : body);
    cols.signal_source!.push('otel');
    cols.attribute_names!.push(l.attributes.map((kv) => kv.key));
    cols.attribute_values!.push(l.attributes.map((kv) => attrText(kv.value)));
    for (const n of INTAKE_TAG_NAMES) cols[n]!.push(tags[n]);
  }
  return columnBatch(APP_LOG_COLUMNS, cols as never, logs.length);
}
