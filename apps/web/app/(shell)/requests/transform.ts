/**
 * Request-log rows -> what the table and the drawer display (STYLE.md rule 5: shaping
 * happens here, not in React render). Pure and React-free.
 */
import type { RequestLogListRow } from '@/lib/api-types';
import { keyToString, type RecordKey } from './view-state';

export type Tone = 'ok' | 'warn' | 'error' | 'muted';

export interface TableRow {
  key: RecordKey;
  id: string;
  time: string;
  protocol: string;
  type: string;
  domain: string;
  resource: string;
  status: string;
  tone: Tone;
  code: string;
  duration: string;
  client: string;
  server: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** µs since the epoch -> `MM-DD HH:MM:SS.mmm` in local time. */
export function formatTime(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  return (
    `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:` +
    `${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

/** µs -> a short human duration. */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us) || us < 0) return '';
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`;
  return `${(us / 1_000_000).toFixed(2)} s`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function statusTone(status: string): Tone {
  if (status === 'ok') return 'ok';
  if (status === 'client_error') return 'warn';
  if (status === 'server_error' || status === 'timeout' || status === 'parse_failed') return 'error';
  return 'muted';
}

function endpoint(ip: string, port: number): string {
  if (!ip) return '';
  const host = ip.includes(':') ? `[${ip}]` : ip;
  return port ? `${host}:${port}` : host;
}

export function rowKey(r: RequestLogListRow): RecordKey {
  return {
    start_time: r.start_time,
    end_time: r.end_time,
    flow_id: r.flow_id,
    request_id: r.request_id,
    agent_id: r.agent_id,
    observation_point: r.observation_point,
  };
}

export function toTableRow(r: RequestLogListRow): TableRow {
  const key = rowKey(r);
  return {
    key,
    id: keyToString(key),
    time: formatTime(r.start_time),
    protocol: r.l7_protocol,
    type: r.request_type,
    domain: r.request_domain,
    resource: r.request_resource || r.endpoint,
    status: r.response_status,
    tone: statusTone(r.response_status),
    code: r.response_code ? String(r.response_code) : '',
    duration: formatDuration(r.response_duration),
    client: endpoint(r.ip_0, r.client_port),
    server: endpoint(r.ip_1, r.server_port),
  };
}

/** Rows keep their order; records with the same key (rare duplicates) get a suffix so React keys stay unique. */
export function toTableRows(rows: readonly RequestLogListRow[]): TableRow[] {
  const seen = new Map<string, number>();
  return rows.map((r) => {
    const row = toTableRow(r);
    const n = seen.get(row.id) ?? 0;
    seen.set(row.id, n + 1);
    return n === 0 ? row : { ...row, id: `${row.id}#${n}` };
  });
}

export function summary(count: number, page: number, pageSize: number, shown: number): string {
  if (count === 0) return 'No requests';
  const first = page * pageSize + 1;
  return `${first.toLocaleString('en-US')}–${(first + shown - 1).toLocaleString('en-US')} of ${count.toLocaleString('en-US')} requests`;
}
