/** Value formats of the profile units: on-CPU samples at 99 Hz, off-CPU nanoseconds. Pure. */
import { formatCount, formatDuration } from '@/lib/format';
import type { EventType } from './view-state';

export const SAMPLE_HZ = 99;

export function unitFormatter(eventType: EventType): (v: number) => string {
  if (eventType === 'off-cpu') return (ns) => formatDuration(ns / 1000);
  return (n) => `${formatCount(n)} (${(n / SAMPLE_HZ).toFixed(n < SAMPLE_HZ * 10 ? 2 : 1)} s)`;
}

/** GET /v1/profile/pprof for the same selection (the login cookie authenticates it). */
export function pprofHref(
  start: number,
  end: number,
  eventType: EventType,
  filters: readonly { tag: string; value: string }[],
): string {
  const p = new URLSearchParams({ start: String(start), end: String(end), event_type: eventType });
  for (const f of filters) p.append('tag', `${f.tag}:${f.value}`);
  return `/v1/profile/pprof?${p}`;
}
