/** A small deterministic cluster and its request/flow logs, with names for the JS oracle. */
import { AUTO_TYPE } from '@zeroscope/tags';
import type { TagRows } from './store';

export const T0 = 1_700_000_000; // range start, seconds
export const HOUR = 3600;

export const TAGS: TagRows = {
  names: {
    pod: [
      [1, 'frontend-7d9'],
      [2, 'cart-5c1'],
      [3, 'cart-5c2'],
      [4, 'db-0'],
    ],
    pod_ns: [
      [1, 'prod'],
      [2, 'data'],
    ],
    pod_group: [
      [1, 'frontend'],
      [2, 'cart'],
      [3, 'db'],
    ],
    service: [
      [1, 'frontend'],
      [2, 'cart'],
      [3, 'db'],
    ],
    host: [
      [1, 'node-a'],
      [2, 'node-b'],
    ],
    gprocess: [[7, 'nginx']],
  },
  custom: {
    pod: [
      [1, 'k8s.label.app', 'frontend'],
      [2, 'k8s.label.app', 'cart'],
      [3, 'k8s.label.app', 'cart'],
      [4, 'k8s.label.app', 'db'],
      [4, 'k8s.annotation.team', 'storage'],
    ],
  },
};

const POD = {
  1: { ns: 1, group: 1, svc: 1, host: 1 },
  2: { ns: 1, group: 2, svc: 2, host: 1 },
  3: { ns: 1, group: 2, svc: 2, host: 2 },
  4: { ns: 2, group: 3, svc: 3, host: 2 },
} as const;
const nameOf = (kind: string, id: number) => TAGS.names[kind]?.find(([i]) => i === id)?.[1] ?? '';

/** mulberry32: a fixed-seed PRNG so every run sees the same rows. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type End = { pod?: 1 | 2 | 3 | 4; ip: string; gprocess?: number; host?: number };

function endTags(e: End, side: 0 | 1): Record<string, unknown> {
  const r: Record<string, unknown> = { [`ip_${side}`]: e.ip };
  if (e.pod) {
    const p = POD[e.pod];
    Object.assign(r, {
      [`pod_id_${side}`]: e.pod,
      [`pod_ns_id_${side}`]: p.ns,
      [`pod_group_id_${side}`]: p.group,
      [`service_id_${side}`]: p.svc,
      [`host_id_${side}`]: p.host,
      [`auto_instance_id_${side}`]: e.pod,
      [`auto_instance_type_${side}`]: AUTO_TYPE.pod,
      [`auto_service_id_${side}`]: p.svc,
      [`auto_service_type_${side}`]: AUTO_TYPE.service,
    });
  } else if (e.gprocess) {
    Object.assign(r, {
      [`gprocess_id_${side}`]: e.gprocess,
      [`host_id_${side}`]: e.host,
      [`auto_instance_id_${side}`]: e.gprocess,
      [`auto_instance_type_${side}`]: AUTO_TYPE.gprocess,
      [`auto_service_id_${side}`]: e.gprocess,
      [`auto_service_type_${side}`]: AUTO_TYPE.gprocess,
    });
  } else {
    Object.assign(r, {
      [`auto_instance_type_${side}`]: AUTO_TYPE.ip,
      [`auto_service_type_${side}`]: AUTO_TYPE.ip,
    });
  }
  return r;
}

/** Display name of an end's auto_service, as the query should decode it. */
export function autoServiceName(r: Record<string, unknown>, side: 0 | 1): string {
  const type = r[`auto_service_type_${side}`];
  const id = Number(r[`auto_service_id_${side}`] ?? 0);
  if (type === AUTO_TYPE.service) return nameOf('service', id);
  if (type === AUTO_TYPE.gprocess) return nameOf('gprocess', id);
  return String(r[`ip_${side}`]);
}
export const podName = (r: Record<string, unknown>, side: 0 | 1) =>
  nameOf('pod', Number(r[`pod_id_${side}`] ?? 0));

const EDGES: { c: End; s: End; proto: string; port: number; endpoints: string[] }[] = [
  {
    c: { ip: '10.1.2.3' },
    s: { pod: 1, ip: '10.0.0.1' },
    proto: 'http1',
    port: 80,
    endpoints: ['/', '/login', '/cart'],
  },
  {
    c: { pod: 1, ip: '10.0.0.1' },
    s: { pod: 2, ip: '10.0.0.2' },
    proto: 'grpc',
    port: 9000,
    endpoints: ['/cart.Cart/Get', '/cart.Cart/Add'],
  },
  {
    c: { pod: 1, ip: '10.0.0.1' },
    s: { pod: 3, ip: '10.0.0.3' },
    proto: 'grpc',
    port: 9000,
    endpoints: ['/cart.Cart/Get'],
  },
  {
    c: { pod: 2, ip: '10.0.0.2' },
    s: { pod: 4, ip: '10.0.0.4' },
    proto: 'mysql',
    port: 3306,
    endpoints: [''],
  },
  {
    c: { gprocess: 7, host: 1, ip: '192.168.1.5' },
    s: { pod: 3, ip: '10.0.0.3' },
    proto: 'http1',
    port: 8080,
    endpoints: ['/health'],
  },
];
const STATUS = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'client_error', 'server_error', 'timeout'] as const;

export function requestLogs(n: number, seed = 1): Record<string, unknown>[] {
  const r = rng(seed);
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const e = EDGES[Math.floor(r() * EDGES.length)]!;
    const status = STATUS[Math.floor(r() * STATUS.length)]!;
    const start = (T0 + Math.floor(r() * HOUR)) * 1e6 + Math.floor(r() * 1e6);
    const dur = Math.floor(100 + r() * r() * 200_000);
    rows.push({
      start_time: start,
      end_time: start + dur,
      response_duration: dur,
      l7_protocol: e.proto,
      request_type: e.proto === 'mysql' ? 'SELECT' : 'GET',
      endpoint: e.endpoints[Math.floor(r() * e.endpoints.length)],
      response_status: status,
      response_code:
        status === 'ok' ? 200 : status === 'client_error' ? 404 : status === 'server_error' ? 500 : 0,
      client_port: 30000 + Math.floor(r() * 30000),
      server_port: e.port,
      protocol: 'tcp',
      observation_point: r() < 0.5 ? 'c-p' : 's-p',
      signal_source: 'ebpf',
      ...endTags(e.c, 0),
      ...endTags(e.s, 1),
    });
  }
  return rows;
}

export function flowLogs(n: number, seed = 2): Record<string, unknown>[] {
  const r = rng(seed);
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const e = EDGES[Math.floor(r() * EDGES.length)]!;
    const end = (T0 + Math.floor(r() * HOUR)) * 1e6;
    rows.push({
      start_time: end - 60e6,
      end_time: end,
      duration: 60e6,
      client_port: 30000 + i,
      server_port: e.port,
      protocol: 'tcp',
      byte_tx: Math.floor(r() * 10_000),
      byte_rx: Math.floor(r() * 100_000),
      packet_tx: 10,
      packet_rx: 20,
      rtt: r() < 0.3 ? 0 : Math.floor(50 + r() * 500),
      retrans_tx: r() < 0.1 ? 1 : 0,
      close_type: r() < 0.05 ? 'server_syn_miss' : 'normal',
      ...endTags(e.c, 0),
      ...endTags(e.s, 1),
    });
  }
  return rows;
}
