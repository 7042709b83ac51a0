/**
 * The request-log view's state as URL search params, so a link reproduces the view:
 * `proto=http1,mysql&status=server_error&q=users&page=2&sel=<record key>`. Pure.
 */
import {
  parseRange,
  parseRefresh,
  type Refresh,
  type TimeRange,
  writeRange,
  writeRefresh,
} from '@/lib/time-range';

export const PROTOCOLS = [
  'http1',
  'http2',
  'grpc',
  'mysql',
  'postgresql',
  'redis',
  'dns',
  'kafka',
  'mqtt',
  'amqp',
  'tls',
] as const;
export const STATUSES = ['ok', 'client_error', 'server_error', 'timeout', 'unknown', 'parse_failed'] as const;
const OBSERVATION_POINTS = ['c-p', 's-p', 'c', 's', 'app'] as const;

export type Protocol = (typeof PROTOCOLS)[number];
export type Status = (typeof STATUSES)[number];
export type ObservationPoint = (typeof OBSERVATION_POINTS)[number];

export const PAGE_SIZE = 500;

/** Enough of a record to fetch it again (mirrors the API's requestLog.get input). */
export interface RecordKey {
  start_time: number;
  end_time: number;
  flow_id: number;
  request_id: number;
  agent_id: number;
  observation_point: ObservationPoint;
}

export interface RequestsView {
  range: TimeRange;
  refresh: Refresh;
  protocols: Protocol[];
  statuses: Status[];
  search: string;
  page: number;
  selected: RecordKey | undefined;
}

function list<T extends string>(raw: string | null, allowed: readonly T[]): T[] {
  if (!raw) return [];
  const seen = new Set<T>();
  for (const v of raw.split(',')) if (allowed.includes(v as T)) seen.add(v as T);
  return allowed.filter((a) => seen.has(a));
}

export function keyToString(k: RecordKey): string {
  return [k.start_time, k.end_time, k.flow_id, k.request_id, k.agent_id, k.observation_point].join('.');
}

export function parseKey(raw: string | null): RecordKey | undefined {
  const m = raw?.match(/^(\d+)\.(\d+)\.(\d+)\.(\d+)\.(\d+)\.(c-p|s-p|c|s|app)$/);
  if (!m) return undefined;
  const n = m.slice(1, 6).map(Number);
  if (n.some((v) => !Number.isSafeInteger(v))) return undefined;
  return {
    start_time: n[0]!,
    end_time: n[1]!,
    flow_id: n[2]!,
    request_id: n[3]!,
    agent_id: n[4]!,
    observation_point: m[6] as ObservationPoint,
  };
}

export function parseView(p: URLSearchParams): RequestsView {
  const page = Number(p.get('page') ?? '0');
  return {
    range: parseRange(p),
    refresh: parseRefresh(p),
    protocols: list(p.get('proto'), PROTOCOLS),
    statuses: list(p.get('status'), STATUSES),
    search: (p.get('q') ?? '').slice(0, 200),
    page: Number.isInteger(page) && page >= 0 && page < 2000 ? page : 0,
    selected: parseKey(p.get('sel')),
  };
}

/** Writes the view into `p` in place (keeping params other views own) and returns it. */
export function writeView(view: RequestsView, p = new URLSearchParams()): URLSearchParams {
  writeRange(p, view.range);
  writeRefresh(p, view.refresh);
  const set = (name: string, value: string) => (value ? p.set(name, value) : p.delete(name));
  set('proto', view.protocols.join(','));
  set('status', view.statuses.join(','));
  set('q', view.search.trim());
  set('page', view.page > 0 ? String(view.page) : '');
  set('sel', view.selected ? keyToString(view.selected) : '');
  return p;
}

/** The API input for a view at a given moment. */
export function listInput(view: RequestsView, start: number, end: number) {
  const search = view.search.trim();
  return {
    start,
    end,
    limit: PAGE_SIZE,
    offset: view.page * PAGE_SIZE,
    filters: {
      ...(view.protocols.length ? { l7_protocol: view.protocols } : {}),
      ...(view.statuses.length ? { response_status: view.statuses } : {}),
      ...(search ? { search } : {}),
    },
  };
}
