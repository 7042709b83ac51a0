/** Human-readable text of a notification, shared by the Slack and email channels. */
import type { Notification } from '../types';

const fmt = (v: number | null) =>
  v === null ? 'no data' : Number.isInteger(v) ? String(v) : v.toPrecision(4);
const labelText = (l: Record<string, string>) =>
  Object.entries(l)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ') || '(no labels)';

export function subject(n: Notification): string {
  const firing = n.alerts.filter((a) => a.status === 'firing').length;
  const group = labelText(n.groupLabels);
  const head = n.status === 'firing' ? `[FIRING:${firing}]` : '[RESOLVED]';
  return `${head} ${n.ruleName}${n.groupKey.includes(':') && group !== '(no labels)' ? ` (${group})` : ''}`;
}

export function bodyText(n: Notification): string {
  const lines = [
    subject(n),
    `severity: ${n.severity}`,
    `condition: value ${n.condition.op} ${n.condition.threshold}`,
  ];
  const templated = (v: string) => v.includes('{{');
  for (const [k, v] of Object.entries(n.annotations)) if (!templated(v)) lines.push(`${k}: ${v}`);
  lines.push('');
  for (const a of n.alerts) {
    lines.push(
      `- ${a.status.toUpperCase()} ${labelText(a.labels)} value=${fmt(a.value)} since ${a.startsAt}`,
    );
    for (const [k, v] of Object.entries(n.annotations))
      if (templated(v) && a.annotations?.[k] !== undefined) lines.push(`  ${k}: ${a.annotations[k]}`);
  }
  return lines.join('\n');
}
