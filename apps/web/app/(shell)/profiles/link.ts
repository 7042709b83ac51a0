/**
 * Links into the profiles view from elsewhere (a service or process view, a trace's time
 * window): `profileHref({ service: 'cart', from, to })`. Pure; the params are those of
 * view-state.ts.
 */
export interface ProfileLink {
  service?: string;
  process?: string;
  pid?: number;
  /** epoch seconds; a trace's window is widened to whole 10 s profile intervals */
  from?: number;
  to?: number;
  eventType?: 'on-cpu' | 'off-cpu';
  /** any other tag filters, e.g. { tag: 'pod', value: 'cart-5c1' } */
  tags?: { tag: string; value: string }[];
}

/** Profile rows cover 10 s intervals starting at their `time`. */
export const PROFILE_INTERVAL_S = 10;

export function profileHref(l: ProfileLink): string {
  const p = new URLSearchParams();
  if (l.from !== undefined && l.to !== undefined && l.to >= l.from) {
    const from = Math.floor(l.from / PROFILE_INTERVAL_S) * PROFILE_INTERVAL_S;
    const to = Math.max(from + PROFILE_INTERVAL_S, Math.ceil(l.to / PROFILE_INTERVAL_S) * PROFILE_INTERVAL_S);
    p.set('from', String(from));
    p.set('to', String(to));
  }
  if (l.service) p.set('svc', l.service);
  if (l.process) p.set('proc', l.process);
  if (l.pid) p.set('pid', String(l.pid));
  if (l.eventType === 'off-cpu') p.set('event', 'off-cpu');
  for (const t of l.tags ?? []) p.append('tag', `${t.tag}:${t.value}`);
  const qs = p.toString();
  return qs ? `/profiles?${qs}` : '/profiles';
}
