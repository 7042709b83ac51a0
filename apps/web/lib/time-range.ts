/** Time ranges as the URL carries them, and their resolution to epoch seconds. Pure. */

export const RELATIVE_RANGES = ['5m', '15m', '1h', '6h', '24h'] as const;
export type RelativeRange = (typeof RELATIVE_RANGES)[number];

export type TimeRange =
  | { kind: 'relative'; last: RelativeRange }
  | { kind: 'absolute'; from: number; to: number };

export const DEFAULT_RANGE: TimeRange = { kind: 'relative', last: '15m' };

const SECONDS: Record<RelativeRange, number> = {
  '5m': 300,
  '15m': 900,
  '1h': 3600,
  '6h': 21600,
  '24h': 86400,
};

export const REFRESH_OPTIONS = ['off', '5s', '30s'] as const;
export type Refresh = (typeof REFRESH_OPTIONS)[number];

export function refreshMs(r: Refresh): number | undefined {
  return r === 'off' ? undefined : r === '5s' ? 5000 : 30000;
}

/** [start, end) in epoch seconds; a relative range ends at `nowMs` rounded up to the second. */
export function resolveRange(range: TimeRange, nowMs: number): { start: number; end: number } {
  if (range.kind === 'absolute') return { start: range.from, end: range.to };
  const end = Math.ceil(nowMs / 1000) + 1;
  return { start: end - 1 - SECONDS[range.last], end };
}

const isRelative = (v: string | null): v is RelativeRange => RELATIVE_RANGES.includes(v as RelativeRange);

function epoch(v: string | null): number | undefined {
  if (v === null || !/^\d{1,11}$/.test(v)) return undefined;
  return Number(v);
}

/** Reads `range=15m` or `from=<s>&to=<s>`; anything else falls back to the default. */
export function parseRange(p: URLSearchParams): TimeRange {
  const from = epoch(p.get('from'));
  const to = epoch(p.get('to'));
  if (from !== undefined && to !== undefined && to > from) return { kind: 'absolute', from, to };
  const last = p.get('range');
  return isRelative(last) ? { kind: 'relative', last } : DEFAULT_RANGE;
}

export function writeRange(p: URLSearchParams, range: TimeRange): void {
  p.delete('range');
  p.delete('from');
  p.delete('to');
  if (range.kind === 'absolute') {
    p.set('from', String(range.from));
    p.set('to', String(range.to));
  } else {
    p.set('range', range.last);
  }
}

export function parseRefresh(p: URLSearchParams): Refresh {
  const r = p.get('refresh');
  return REFRESH_OPTIONS.includes(r as Refresh) ? (r as Refresh) : 'off';
}

export function writeRefresh(p: URLSearchParams, r: Refresh): void {
  if (r === 'off') p.delete('refresh');
  else p.set('refresh', r);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Epoch seconds -> the value of an `<input type="datetime-local">` (local time). */
export function toLocalInput(s: number): string {
  const d = new Date(s * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The inverse of toLocalInput; undefined for an empty or malformed value. */
export function fromLocalInput(v: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v)) return undefined;
  const ms = new Date(v).getTime();
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

export function rangeLabel(range: TimeRange): string {
  if (range.kind === 'relative') return `Last ${range.last}`;
  return `${toLocalInput(range.from).replace('T', ' ')} → ${toLocalInput(range.to).replace('T', ' ')}`;
}
