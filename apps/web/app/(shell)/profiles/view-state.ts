/**
 * The profiles view's state as URL search params, so a link reproduces the view and other
 * views can link in (link.ts): `svc=cart&pid=123&event=off-cpu&mode=icicle&q=malloc&focus=3
 * &base_from=<s>&base_to=<s>` plus the shared range. Pure.
 */
import {
  parseRange,
  parseRefresh,
  type Refresh,
  type TimeRange,
  writeRange,
  writeRefresh,
} from '@/lib/time-range';

export const EVENT_TYPES = ['on-cpu', 'off-cpu'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const MODES = ['flame', 'icicle'] as const;
export type Mode = (typeof MODES)[number];

export interface TagFilter {
  tag: string;
  value: string;
}

export interface ProfilesView {
  range: TimeRange;
  refresh: Refresh;
  eventType: EventType;
  mode: Mode;
  /** auto_service, process name, pid and any other tag = value */
  service: string;
  process: string;
  pid: number | undefined;
  tags: TagFilter[];
  search: string;
  /** zoomed frame: path of names from the root, joined by ';' ('' = whole graph) */
  focus: string;
  /** diff: the baseline range (before) compared with the view's range (after) */
  baseline: { start: number; end: number } | undefined;
}

const TAG_RE = /^[A-Za-z0-9_.\-/]{1,128}$/;
const epoch = (v: string | null) => (v !== null && /^\d{1,11}$/.test(v) ? Number(v) : undefined);
const oneOf = <T extends string>(v: string | null, all: readonly T[], d: T): T =>
  all.includes(v as T) ? (v as T) : d;

export function parseView(p: URLSearchParams): ProfilesView {
  const pid = epoch(p.get('pid'));
  const bFrom = epoch(p.get('base_from'));
  const bTo = epoch(p.get('base_to'));
  const tags: TagFilter[] = [];
  for (const raw of p.getAll('tag').slice(0, 12)) {
    const i = raw.indexOf(':');
    const tag = raw.slice(0, i);
    if (i > 0 && TAG_RE.test(tag)) tags.push({ tag, value: raw.slice(i + 1, i + 1 + 512) });
  }
  return {
    range: parseRange(p),
    refresh: parseRefresh(p),
    eventType: oneOf(p.get('event'), EVENT_TYPES, 'on-cpu'),
    mode: oneOf(p.get('mode'), MODES, 'flame'),
    service: (p.get('svc') ?? '').slice(0, 512),
    process: (p.get('proc') ?? '').slice(0, 256),
    pid: pid && pid > 0 ? pid : undefined,
    tags,
    search: (p.get('q') ?? '').slice(0, 200),
    focus: (p.get('focus') ?? '').slice(0, 8192),
    baseline:
      bFrom !== undefined && bTo !== undefined && bTo > bFrom ? { start: bFrom, end: bTo } : undefined,
  };
}

/** Writes the view into `p` in place (keeping params other views own) and returns it. */
export function writeView(view: ProfilesView, p = new URLSearchParams()): URLSearchParams {
  writeRange(p, view.range);
  writeRefresh(p, view.refresh);
  const set = (name: string, value: string) => (value ? p.set(name, value) : p.delete(name));
  set('event', view.eventType === 'on-cpu' ? '' : view.eventType);
  set('mode', view.mode === 'flame' ? '' : view.mode);
  set('svc', view.service);
  set('proc', view.process);
  set('pid', view.pid ? String(view.pid) : '');
  p.delete('tag');
  for (const t of view.tags) p.append('tag', `${t.tag}:${t.value}`);
  set('q', view.search.trim());
  set('focus', view.focus);
  set('base_from', view.baseline ? String(view.baseline.start) : '');
  set('base_to', view.baseline ? String(view.baseline.end) : '');
  return p;
}

/** The API's tag filters for a view. */
export function filtersOf(view: ProfilesView): TagFilter[] {
  return [
    ...(view.service ? [{ tag: 'auto_service', value: view.service }] : []),
    ...(view.process ? [{ tag: 'process_kname', value: view.process }] : []),
    ...(view.pid ? [{ tag: 'process_id', value: String(view.pid) }] : []),
    ...view.tags,
  ];
}

/** The baseline a diff starts from: the same length just before the range. */
export function previousRange(start: number, end: number): { start: number; end: number } {
  return { start: start - (end - start), end: start };
}
