/**
 * Silences and maintenance windows over alert labels. A silence mutes matching series between
 * startsAt and endsAt; a maintenance window may instead repeat weekly (UTC) inside that span.
 */

export const MATCH_OPS = ['=', '!=', '=~', '!~'] as const;
export type MatchOp = (typeof MATCH_OPS)[number];

export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

export interface WeeklySchedule {
  /** 0 = Sunday ... 6 = Saturday */
  days: number[];
  /** "HH:MM" UTC */
  start: string;
  minutes: number;
}

export interface SilenceLike {
  matchers: Matcher[];
  startsAt: number;
  endsAt: number;
  kind: 'silence' | 'maintenance';
  schedule?: WeeklySchedule | null;
}

function regexMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return false;
  }
}

export function matches(m: Matcher, labels: Record<string, string>): boolean {
  const v = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return regexMatch(m.value, v);
    case '!~':
      return !regexMatch(m.value, v);
  }
}

/** True when `now` (ms) falls in a weekly window. Windows may run past midnight. */
export function inWeeklyWindow(s: WeeklySchedule, now: number): boolean {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s.start);
  if (!m) return false;
  const startMin = Number(m[1]) * 60 + Number(m[2]);
  const d = new Date(now);
  const minuteOfWeek = d.getUTCDay() * 1440 + d.getUTCHours() * 60 + d.getUTCMinutes();
  for (const day of s.days) {
    const from = day * 1440 + startMin;
    // compare on a 7-day circle so Saturday-night windows reach into Sunday
    const offset = (((minuteOfWeek - from) % 10080) + 10080) % 10080;
    if (offset < s.minutes) return true;
  }
  return false;
}

export function isActive(s: SilenceLike, now: number): boolean {
  if (now < s.startsAt || now >= s.endsAt) return false;
  if (s.kind === 'maintenance' && s.schedule) return inWeeklyWindow(s.schedule, now);
  return true;
}

/** True when an active silence matches every one of its matchers against `labels`. */
export function isSilenced(
  silences: readonly SilenceLike[],
  labels: Record<string, string>,
  now: number,
): boolean {
  return silences.some(
    (s) => isActive(s, now) && s.matchers.length > 0 && s.matchers.every((m) => matches(m, labels)),
  );
}
