/** The service views' state in the URL: `svc=cart&tab=errors&q=ca`. Pure. */
import {
  parseRange,
  parseRefresh,
  type Refresh,
  type TimeRange,
  writeRange,
  writeRefresh,
} from '@/lib/time-range';

export const TABS = ['endpoints', 'instances', 'dependencies', 'errors'] as const;
export type Tab = (typeof TABS)[number];

export interface ServicesView {
  range: TimeRange;
  refresh: Refresh;
  /** the open service; undefined = the list */
  service: string | undefined;
  tab: Tab;
  search: string;
}

export function parseServicesView(p: URLSearchParams): ServicesView {
  const tab = p.get('tab');
  return {
    range: parseRange(p),
    refresh: parseRefresh(p),
    service: p.get('svc')?.slice(0, 512) ?? undefined,
    tab: TABS.includes(tab as Tab) ? (tab as Tab) : 'endpoints',
    search: (p.get('q') ?? '').slice(0, 200),
  };
}

export function writeServicesView(v: ServicesView, p = new URLSearchParams()): URLSearchParams {
  writeRange(p, v.range);
  writeRefresh(p, v.refresh);
  if (v.service !== undefined) p.set('svc', v.service);
  else p.delete('svc');
  if (v.tab !== 'endpoints' && v.service !== undefined) p.set('tab', v.tab);
  else p.delete('tab');
  if (v.search.trim()) p.set('q', v.search.trim());
  else p.delete('q');
  return p;
}

/** Link to a view elsewhere keeping the time range. */
export function linkTo(path: string, carry: URLSearchParams, extra: Record<string, string>): string {
  const q = new URLSearchParams();
  for (const k of ['range', 'from', 'to', 'refresh']) {
    const v = carry.get(k);
    if (v !== null) q.set(k, v);
  }
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return `${path}?${q.toString()}`;
}
