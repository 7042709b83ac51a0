/**
 * A realistic Kubernetes fleet for the storage benchmark: 4 nodes, 5 namespaces, 24
 * services (one Deployment each, 3 replicas), their containers and processes, and a call
 * graph between them. Request logs get both ends' full tag vectors (PRODUCT.md §2.5) the
 * way ingest enrichment fills them; the names go to the flow_tag dictionaries.
 */
import { AUTO_TYPE, type ResourceKind } from '@zeroscope/tags';
import type { RequestLog } from '@zeroscope/wire/records';
import { sampleRequestLogs } from '@zeroscope/wire/sample';

export interface Pod {
  ids: Record<Exclude<ResourceKind, never>, number>;
  ip: string;
  pid: number;
  comm: string;
  service: string;
  port: number;
}

export interface Fleet {
  pods: Pod[];
  /** resource kind -> [id, name] */
  names: Map<ResourceKind, [number, string][]>;
  /** server service index -> client service indexes calling it */
  edges: [number, number][];
  services: string[];
}

const SERVICES: [string, string, string, number][] = [
  // name, namespace, process comm, port
  ['frontend', 'shop', 'node', 3000],
  ['api-gateway', 'shop', 'envoy', 8080],
  ['cart', 'shop', 'java', 8080],
  ['checkout', 'shop', 'java', 8080],
  ['catalog', 'shop', 'python3', 8000],
  ['orders', 'shop', 'java', 8080],
  ['users', 'shop', 'node', 3000],
  ['search', 'shop', 'java', 9200],
  ['recommendations', 'shop', 'python3', 8000],
  ['inventory', 'shop', 'go-inventory', 8080],
  ['shipping', 'shop', 'go-shipping', 8080],
  ['payments-gateway', 'payments', 'java', 8443],
  ['fraud-detector', 'payments', 'python3', 8000],
  ['ledger', 'payments', 'java', 8080],
  ['notifications', 'platform', 'node', 3000],
  ['email', 'platform', 'python3', 8000],
  ['auth', 'platform', 'go-auth', 8080],
  ['redis-cart', 'shop', 'redis-server', 6379],
  ['postgres-orders', 'shop', 'postgres', 5432],
  ['mysql-users', 'shop', 'mysqld', 3306],
  ['kafka', 'platform', 'java', 9092],
  ['prometheus', 'monitoring', 'prometheus', 9090],
  ['grafana', 'monitoring', 'grafana', 3000],
  ['coredns', 'kube-system', 'coredns', 53],
];

const CALLS: [string, string[]][] = [
  ['frontend', ['api-gateway']],
  ['api-gateway', ['cart', 'checkout', 'catalog', 'users', 'search', 'recommendations', 'auth']],
  ['cart', ['redis-cart', 'catalog']],
  ['checkout', ['cart', 'payments-gateway', 'shipping', 'orders', 'notifications']],
  ['orders', ['postgres-orders', 'inventory', 'kafka']],
  ['users', ['mysql-users', 'auth']],
  ['recommendations', ['catalog', 'search']],
  ['payments-gateway', ['fraud-detector', 'ledger']],
  ['notifications', ['email', 'kafka']],
  ['grafana', ['prometheus']],
];

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

export function buildFleet(seed = 7): Fleet {
  const r = rng(seed);
  const hex = (n: number) =>
    Array.from({ length: n }, () => 'bcdfghjklmnpqrstvwxz2456789'[Math.floor(r() * 27)]).join('');
  const names = new Map<ResourceKind, [number, string][]>();
  const add = (k: ResourceKind, name: string): number => {
    const list = names.get(k) ?? [];
    names.set(k, list);
    list.push([list.length + 1, name]);
    return list.length;
  };
  const nodes = [11, 12, 13, 14].map((n) => `ip-10-0-1-${n}.eu-west-1.compute.internal`);
  for (const n of nodes) {
    add('host', n);
    add('pod_node', n);
  }
  add('pod_cluster', 'prod-eu-1');
  add('vpc', 'vpc-0a1b2c3d4e5f60718');
  for (const az of ['a', 'b', 'c']) add('subnet', `subnet-eu-west-1${az}-private`);
  const ns = new Map<string, number>();
  const svcIds = new Map<string, number>();
  for (const [svc, namespace] of SERVICES) {
    if (!ns.has(namespace)) ns.set(namespace, add('pod_ns', namespace));
    svcIds.set(svc, add('service', svc));
    add('pod_group', svc);
  }
  const pods: Pod[] = [];
  let pid = 1000;
  SERVICES.forEach(([svc, namespace, comm, port], si) => {
    const rs = hex(10);
    for (let k = 0; k < 3; k++) {
      const node = (si * 3 + k) % nodes.length;
      const podName = `${svc}-${rs}-${hex(5)}`;
      const pod = add('pod', podName);
      const container = add('container', svc);
      const gprocess = add('gprocess', comm);
      pods.push({
        ids: {
          host: node + 1,
          gprocess,
          container,
          pod,
          pod_ns: ns.get(namespace)!,
          pod_group: si + 1,
          pod_node: node + 1,
          pod_cluster: 1,
          service: svcIds.get(svc)!,
          subnet: (node % 3) + 1,
          vpc: 1,
        },
        ip: `10.244.${node}.${10 + pods.length}`,
        pid: pid++,
        comm,
        service: svc,
        port,
      });
    }
  });
  const index = new Map(SERVICES.map(([s], i) => [s, i]));
  const edges: [number, number][] = [];
  for (const [client, servers] of CALLS)
    for (const s of servers) edges.push([index.get(client)!, index.get(s)!]);
  return { pods, names, edges, services: SERVICES.map(([s]) => s) };
}

const TAGS = [
  'host',
  'gprocess',
  'container',
  'pod',
  'pod_ns',
  'pod_group',
  'pod_node',
  'pod_cluster',
  'service',
  'subnet',
  'vpc',
] as const;

/** `n` request logs over the fleet's call graph, both ends tagged as enrichment does. */
export function fleetRequestLogs(fleet: Fleet, n: number, seed = 9): RequestLog[] {
  const r = rng(seed);
  const base = sampleRequestLogs(n, seed);
  const podsOf = fleet.services.map((s) => fleet.pods.filter((p) => p.service === s));
  // a few hot edges carry most traffic
  const weights = fleet.edges.map((_, i) => 1 / (1 + i) ** 0.8);
  const total = weights.reduce((a, b) => a + b, 0);
  const pick = () => {
    let x = r() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x <= 0) return fleet.edges[i]!;
    }
    return fleet.edges[0]!;
  };
  for (const rec of base) {
    const [c, s] = pick();
    const client = podsOf[c]![Math.floor(r() * 3)]!;
    const server = podsOf[s]![Math.floor(r() * 3)]!;
    const row = rec as unknown as Record<string, number | string>;
    for (const [end, p] of [
      [0, client],
      [1, server],
    ] as const) {
      // Server-side capture ('s-p'): the server end resolves by pid, the client end by its
      // pod IP, which names no process or container (see apps/api/src/controller/enrich.ts).
      for (const t of TAGS)
        row[`${t}_id_${end}`] = end === 0 && (t === 'gprocess' || t === 'container') ? 0 : p.ids[t];
      row[`auto_instance_id_${end}`] = p.ids.pod;
      row[`auto_instance_type_${end}`] = AUTO_TYPE.pod;
      row[`auto_service_id_${end}`] = p.ids.service;
      row[`auto_service_type_${end}`] = AUTO_TYPE.service;
      row[`ip_${end}`] = p.ip;
      row[`process_id_${end}`] = end === 1 ? p.pid : 0;
      row[`process_kname_${end}`] = end === 1 ? p.comm : '';
    }
    rec.server_port = server.port;
    rec.request_domain = `${server.service}.svc.cluster.local`;
  }
  return base;
}
