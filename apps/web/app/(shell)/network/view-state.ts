/**
 * The network view's state in the URL: `group=service&node=cart&q=my&src=cart&dst=redis
 * &close=server_rst&ip=10.0.0.1&sort=rtt`. Pure.
 */
import {
  parseRange,
  parseRefresh,
  type Refresh,
  type TimeRange,
  writeRange,
  writeRefresh,
} from '@/lib/time-range';
import { type Group, parseGroup } from '../map/view-state';

export const CLOSE_TYPES = [
  'normal',
  'client_rst',
  'server_rst',
  'server_syn_miss',
  'client_ack_miss',
  'half_close',
  'timeout',
] as const;
export type CloseType = (typeof CLOSE_TYPES)[number];

export const SORTS = ['bytes', 'rtt', 'retrans', 'failed', 'flows'] as const;
export type Sort = (typeof SORTS)[number];

export interface NetworkView {
  range: TimeRange;
  refresh: Refresh;
  group: Group;
  /** only edges with this node on either end */
  node: string | undefined;
  /** substring of either end's name */
  search: string;
  /** the selected edge */
  edge: { source: string; target: string } | undefined;
  close: CloseType[];
  /** flows of one address, from an IP node of the map */
  ip: string | undefined;
  sort: Sort;
}

const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]*)$/i;

export function parseNetworkView(p: URLSearchParams): NetworkView {
  const group = p.get('group');
  const src = p.get('src');
  const dst = p.get('dst');
  const close = new Set((p.get('close') ?? '').split(','));
  const ip = p.get('ip');
  const sort = p.get('sort');
  return {
    range: parseRange(p),
    refresh: parseRefresh(p),
    group: parseGroup(group),
    node: p.get('node')?.slice(0, 512) ?? undefined,
    search: (p.get('q') ?? '').slice(0, 200),
    edge: src !== null && dst !== null ? { source: src.slice(0, 512), target: dst.slice(0, 512) } : undefined,
    close: CLOSE_TYPES.filter((c) => close.has(c)),
    ip: ip && IP.test(ip) ? ip : undefined,
    sort: SORTS.includes(sort as Sort) ? (sort as Sort) : 'bytes',
  };
}

export function writeNetworkView(v: NetworkView, p = new URLSearchParams()): URLSearchParams {
  writeRange(p, v.range);
  writeRefresh(p, v.refresh);
  const set = (k: string, value: string | undefined) => (value ? p.set(k, value) : p.delete(k));
  set('group', v.group === 'service' ? undefined : v.group);
  if (v.node !== undefined) p.set('node', v.node);
  else p.delete('node');
  set('q', v.search.trim());
  if (v.edge) {
    p.set('src', v.edge.source);
    p.set('dst', v.edge.target);
  } else {
    p.delete('src');
    p.delete('dst');
  }
  set('close', v.close.join(','));
  set('ip', v.ip);
  set('sort', v.sort === 'bytes' ? undefined : v.sort);
  return p;
}
