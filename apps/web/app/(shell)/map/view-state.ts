/**
 * The map view's state in the URL: `group=service&proto=http1&q=cart&focus=api&sel=api&t=<s>`
 * for a frame of the time slider, `a=<s>&b=<s>` for a diff of two frames. Pure.
 */
import {
  parseRange,
  parseRefresh,
  type Refresh,
  type TimeRange,
  writeRange,
  writeRefresh,
} from '@/lib/time-range';

export const GROUPS = ['service', 'instance', 'workload', 'namespace', 'host', 'process', 'ip'] as const;
/** A preset of GROUPS, or any other tag name (`pod`, `k8s.label.app`, ...) the API resolves. */
export type Group = string;
const TAG_NAME = /^[A-Za-z0-9_.\-/]{1,128}$/;

/** `group=` of a URL: a preset, another well-formed tag name, else the default. */
export function parseGroup(v: string | null): Group {
  return v !== null && TAG_NAME.test(v) ? v : 'service';
}
export const MAP_PROTOCOLS = [
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
] as const;
export type MapProtocol = (typeof MAP_PROTOCOLS)[number];

export interface MapView {
  range: TimeRange;
  refresh: Refresh;
  group: Group;
  protocols: MapProtocol[];
  /** substring of node names to highlight */
  search: string;
  /** node whose upstream/downstream is shown */
  focus: string | undefined;
  /** node in the side panel */
  selected: string | undefined;
  /** epoch second of the slider frame; undefined = the whole range */
  frame: number | undefined;
  /** diff of two frames */
  diff: { a: number; b: number } | undefined;
}

const epoch = (v: string | null) => (v !== null && /^\d{1,11}$/.test(v) ? Number(v) : undefined);
const name = (v: string | null) => (v === null ? undefined : v.slice(0, 512));

export function parseMapView(p: URLSearchParams): MapView {
  const group = p.get('group');
  const protos = new Set((p.get('proto') ?? '').split(','));
  const a = epoch(p.get('a'));
  const b = epoch(p.get('b'));
  return {
    range: parseRange(p),
    refresh: parseRefresh(p),
    group: parseGroup(group),
    protocols: MAP_PROTOCOLS.filter((x) => protos.has(x)),
    search: (p.get('q') ?? '').slice(0, 200),
    focus: name(p.get('focus')),
    selected: name(p.get('sel')),
    frame: epoch(p.get('t')),
    diff: a !== undefined && b !== undefined ? { a, b } : undefined,
  };
}

export function writeMapView(v: MapView, p = new URLSearchParams()): URLSearchParams {
  writeRange(p, v.range);
  writeRefresh(p, v.refresh);
  const set = (k: string, value: string | undefined) => (value ? p.set(k, value) : p.delete(k));
  set('group', v.group === 'service' ? undefined : v.group);
  set('proto', v.protocols.join(','));
  set('q', v.search.trim());
  if (v.focus !== undefined) p.set('focus', v.focus);
  else p.delete('focus');
  if (v.selected !== undefined) p.set('sel', v.selected);
  else p.delete('sel');
  set('t', v.frame === undefined ? undefined : String(v.frame));
  set('a', v.diff ? String(v.diff.a) : undefined);
  set('b', v.diff ? String(v.diff.b) : undefined);
  return p;
}

export function mapQueryInput(v: MapView, start: number, end: number) {
  return {
    start,
    end,
    groupBy: v.group,
    ...(v.protocols.length ? { filters: { l7_protocol: [...v.protocols] } } : {}),
  };
}

/** The tag the API groups by for each choice (for links that filter other views). */
export const GROUP_TAG: Record<(typeof GROUPS)[number], string> = {
  service: 'auto_service',
  instance: 'auto_instance',
  workload: 'pod_group',
  namespace: 'pod_ns',
  host: 'host',
  process: 'gprocess',
  ip: 'ip',
};

const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]+:[0-9a-f:]*)$/i;

function withParams(path: string, carry: URLSearchParams, extra: Record<string, string>): string {
  const q = new URLSearchParams();
  for (const k of ['range', 'from', 'to', 'refresh']) {
    const v = carry.get(k);
    if (v !== null) q.set(k, v);
  }
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return `${path}?${q.toString()}`;
}

/**
 * Where a node's links go, keeping the time range. The request-log view filters by search
 * text (an IP node passes its address); the network view and the service view take the
 * node under the same grouping.
 */
export function nodeLinks(node: string, group: Group, carry: URLSearchParams) {
  const groupParam: Record<string, string> = group === 'service' ? {} : { group };
  return {
    requests: withParams('/requests', carry, { q: node }),
    traces: withParams('/traces', carry, group === 'service' ? { svc: node } : {}),
    flows: withParams(
      '/network',
      carry,
      IP.test(node) && group === 'ip' ? { ip: node } : { ...groupParam, node },
    ),
    service: group === 'service' ? withParams('/services', carry, { svc: node }) : undefined,
  };
}

export function endpointLink(endpoint: string, carry: URLSearchParams): string {
  return withParams('/requests', carry, { q: endpoint });
}
