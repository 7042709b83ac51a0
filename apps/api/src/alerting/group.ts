/**
 * Grouping and deduplication of notifications: series of a rule are grouped by the rule's
 * groupBy labels; a group is notified when one of its series starts firing or resolves, and
 * again every repeatSeconds while some still fire. Series already notified are not repeated
 * in between; silenced series are left out.
 */
import { renderAnnotations } from './annotate';
import { seriesKey } from './series';
import type { AlertItem, Notification, Rule, SeriesState, Transition } from './types';

export interface PlanInput {
  rule: Rule;
  /** state after this evaluation */
  states: ReadonlyMap<string, SeriesState>;
  transitions: readonly Transition[];
  silenced: (labels: Record<string, string>) => boolean;
  now: number;
}

export interface Plan {
  notifications: Notification[];
  /** group key -> keys of the firing series it carries (their notifiedAt becomes `now` once sent) */
  notified: Map<string, string[]>;
}

const iso = (ms: number) => new Date(ms).toISOString();

function groupOf(
  rule: Rule,
  labels: Record<string, string>,
): { key: string; labels: Record<string, string> } {
  const g: Record<string, string> = {};
  for (const name of rule.groupBy) g[name] = labels[name] ?? '';
  return { key: `${rule.id}:${seriesKey(g)}`, labels: g };
}

interface Group {
  labels: Record<string, string>;
  firing: SeriesState[];
  resolved: Transition[];
  newlyFiring: boolean;
  due: boolean;
}

export function planNotifications(input: PlanInput): Plan {
  const { rule, states, transitions, silenced, now } = input;
  const groups = new Map<string, Group>();
  const get = (labels: Record<string, string>) => {
    const g = groupOf(rule, labels);
    let x = groups.get(g.key);
    if (!x) {
      x = { labels: g.labels, firing: [], resolved: [], newlyFiring: false, due: false };
      groups.set(g.key, x);
    }
    return x;
  };
  const repeatMs = Math.max(1, rule.repeatSeconds) * 1000;
  for (const s of states.values()) {
    if (s.status !== 'firing' || silenced(s.labels)) continue;
    const g = get(s.labels);
    g.firing.push(s);
    if (s.notifiedAt === undefined) g.newlyFiring = true;
    else if (now - s.notifiedAt >= repeatMs) g.due = true;
  }
  for (const t of transitions) {
    if (t.type !== 'resolved' || silenced(t.labels)) continue;
    get(t.labels).resolved.push(t);
  }
  const notifications: Notification[] = [];
  const notified = new Map<string, string[]>();
  for (const [key, g] of groups) {
    if (!g.newlyFiring && !g.due && g.resolved.length === 0) continue;
    const alerts: AlertItem[] = [
      ...g.firing.map((s) => ({
        labels: s.labels,
        value: s.value,
        status: 'firing' as const,
        startsAt: iso(s.firedAt ?? s.since),
        annotations: renderAnnotations(rule.annotations, s.labels, s.value, rule.condition.threshold),
      })),
      ...g.resolved.map((t) => ({
        labels: t.labels,
        value: t.value,
        status: 'resolved' as const,
        startsAt: iso(now),
        endsAt: iso(now),
        annotations: renderAnnotations(rule.annotations, t.labels, t.value, rule.condition.threshold),
      })),
    ];
    notifications.push({
      ruleId: rule.id,
      ruleName: rule.name,
      severity: rule.severity,
      status: g.firing.length > 0 ? 'firing' : 'resolved',
      groupKey: key,
      groupLabels: g.labels,
      annotations: rule.annotations,
      condition: rule.condition,
      alerts,
    });
    notified.set(
      key,
      g.firing.map((s) => s.key),
    );
  }
  return { notifications, notified };
}
