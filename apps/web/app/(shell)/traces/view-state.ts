/**
 * The traces view's state as URL search params, so a link reproduces it: the search
 * (`svc`, `ep`, `status`, `min`, `sort`) or one trace (`trace=<id>` or `rec=<record key>`, the
 * request drawer's jump) with its selected span (`span`) and collapsed spans (`fold`). Pure.
 */
import { keyToString, parseKey, type RecordKey } from '@/app/(shell)/requests/view-state';
import {
  parseRange,
  parseRefresh,
  type Refresh,
  type TimeRange,
  writeRange,
  writeRefresh,
} from '@/lib/time-range';

export { keyToString, parseKey, type RecordKey } from '@/app/(shell)/requests/view-state';

export const STATUSES = ['ok', 'client_error', 'server_error', 'timeout'] as const;
export type Status = (typeof STATUSES)[number];

export interface TracesView {
  range: TimeRange;
  refresh: Refresh;
  service: string;
  endpoint: string;
  statuses: Status[];
  /** ms */
  minDurationMs: number | undefined;
  sort: 'start_time' | 'duration';
  traceId: string | undefined;
  record: RecordKey | undefined;
  span: string | undefined;
  folded: string[];
}

const ID = /^[0-9A-Za-z_.:-]{1,128}$/;

export function parseView(p: URLSearchParams): TracesView {
  const statuses = (p.get('status') ?? '')
    .split(',')
    .filter((s): s is Status => STATUSES.includes(s as Status));
  const min = Number(p.get('min'));
  const trace = p.get('trace') ?? '';
  const span = p.get('span') ?? '';
  return {
    range: parseRange(p),
    refresh: parseRefresh(p),
    service: (p.get('svc') ?? '').slice(0, 128),
    endpoint: (p.get('ep') ?? '').slice(0, 1024),
    statuses: STATUSES.filter((s) => statuses.includes(s)),
    minDurationMs: p.get('min') !== null && Number.isFinite(min) && min >= 0 ? min : undefined,
    sort: p.get('sort') === 'duration' ? 'duration' : 'start_time',
    traceId: ID.test(trace) ? trace : undefined,
    record: parseKey(p.get('rec')),
    span: /^[0-9a-f]{1,32}$/.test(span) ? span : undefined,
    folded: (p.get('fold') ?? '')
      .split(',')
      .filter((s) => /^[0-9a-f]{1,32}$/.test(s))
      .slice(0, 500),
  };
}

/** Writes the view into `p` in place (keeping params other views own) and returns it. */
export function writeView(v: TracesView, p = new URLSearchParams()): URLSearchParams {
  writeRange(p, v.range);
  writeRefresh(p, v.refresh);
  const set = (name: string, value: string) => (value ? p.set(name, value) : p.delete(name));
  set('svc', v.service.trim());
  set('ep', v.endpoint.trim());
  set('status', v.statuses.join(','));
  set('min', v.minDurationMs === undefined ? '' : String(v.minDurationMs));
  set('sort', v.sort === 'duration' ? 'duration' : '');
  set('trace', v.traceId ?? '');
  set('rec', v.record ? keyToString(v.record) : '');
  set('span', v.span ?? '');
  set('fold', v.folded.join(','));
  return p;
}

/** The trace.search input for this view over [start, end] (seconds). */
export function searchInput(v: TracesView, start: number, end: number) {
  return {
    start,
    end,
    service: v.service.trim() || undefined,
    endpoint: v.endpoint.trim() || undefined,
    status: v.statuses.length ? [...v.statuses] : undefined,
    minDuration: v.minDurationMs === undefined ? undefined : Math.round(v.minDurationMs * 1000),
    orderBy: v.sort,
    limit: 200,
  };
}
