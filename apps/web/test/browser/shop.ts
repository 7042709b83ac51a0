/**
 * A small Kubernetes shop for the map, network, service and resources views, sent to the
 * real API the way a node agent sends it: a full resources frame (cluster, namespaces,
 * workloads, pods, services), then request logs and flow logs, and the metric rows the
 * agent's own aggregator (@zeroscope/agent/metrics) makes of them. The API enriches every
 * row with tag ids from the resources (pod IPs -> pod, workload, namespace, service) and
 * syncs the names into the flow_tag dictionaries. A real capture (http1.pcap, replayed by
 * the agent's pipeline) rides along.
 *
 * Over the last ten minutes: frontend calls cart and catalog; cart uses redis and, until
 * five minutes ago, catalog; catalog reads mysql (slow). Four minutes ago checkout appeared
 * (frontend -> checkout -> mysql) and one in four of its calls fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MetricsAggregator } from '@zeroscope/agent/metrics';
import { replayBytes } from '@zeroscope/agent/replay';
import { Sender } from '@zeroscope/agent/sender';
import { encodeFrame } from '@zeroscope/wire/protocol';
import { emptyRequestLog, type FlowLog, type RequestLog } from '@zeroscope/wire/records';
import type { K8sPodInfo, K8sServiceInfo, K8sWorkloadInfo, ResourceReport } from '@zeroscope/wire/resources';
import { ROOT, type Stack } from './stack';

const MIN = 60_000_000;
const NS_OF: Record<string, string> = {
  frontend: 'shop',
  cart: 'shop',
  catalog: 'shop',
  checkout: 'shop',
  mysql: 'data',
  redis: 'data',
};
const PODS: [app: string, pod: string, ip: string][] = [
  ['frontend', 'frontend-6f7c9-abcde', '10.42.0.11'],
  ['cart', 'cart-5d4b8-k2m1x', '10.42.0.21'],
  ['cart', 'cart-5d4b8-p9q7z', '10.42.0.22'],
  ['catalog', 'catalog-7c9d2-r4t5y', '10.42.0.31'],
  ['checkout', 'checkout-84f1a-u8v2w', '10.42.0.41'],
  ['mysql', 'mysql-0', '10.42.0.51'],
  ['redis', 'redis-0', '10.42.0.61'],
];
const PORT: Record<string, number> = { mysql: 3306, redis: 6379 };

export const SHOP = {
  services: ['cart', 'catalog', 'checkout', 'frontend', 'mysql', 'redis'],
  namespaces: ['data', 'shop'],
  pods: PODS.map(([, pod]) => pod),
  /** edges present over the whole range (service grouping) */
  edges: [
    'frontend>cart',
    'frontend>catalog',
    'cart>redis',
    'catalog>mysql',
    'frontend>checkout',
    'checkout>mysql',
    'cart>catalog',
  ],
  /** appeared four minutes ago */
  newEdges: ['frontend>checkout', 'checkout>mysql'],
  /** stopped five minutes ago */
  goneEdges: ['cart>catalog'],
} as const;

const labels = (app: string) => ({ app, 'app.kubernetes.io/part-of': 'shop' });

export function shopReport(nowUs: number): ResourceReport {
  const apps = [...new Set(PODS.map(([a]) => a))];
  const workloads: K8sWorkloadInfo[] = apps.map((app) => ({
    uid: `wl-${app}`,
    kind: PORT[app] ? 'StatefulSet' : 'Deployment',
    name: app,
    namespace: NS_OF[app]!,
    labels: labels(app),
    annotations: {},
  }));
  const pods: K8sPodInfo[] = PODS.map(([app, name, ip]) => ({
    uid: `pod-${name}`,
    name,
    namespace: NS_OF[app]!,
    node: 'node-a',
    phase: 'Running',
    ips: [ip],
    containers: [{ name: app, id: '', image: `shop/${app}:1.4` }],
    workload: { kind: PORT[app] ? 'StatefulSet' : 'Deployment', name: app, uid: `wl-${app}` },
    labels: labels(app),
    annotations: { 'shop.example/team': app === 'checkout' ? 'payments' : 'storefront' },
  }));
  const services: K8sServiceInfo[] = apps.map((app, i) => ({
    uid: `svc-${app}`,
    name: app,
    namespace: NS_OF[app]!,
    type: 'ClusterIP',
    clusterIps: [`10.96.0.${10 + i}`],
    selector: { app },
    ports: [
      {
        name: 'main',
        protocol: 'TCP',
        port: PORT[app] ?? 8080,
        targetPort: String(PORT[app] ?? 8080),
        nodePort: 0,
      },
    ],
    labels: labels(app),
    annotations: {},
  }));
  return {
    time: nowUs,
    host: {
      hostname: 'node-a',
      machineId: 'browser-test-machine-a',
      bootId: 'boot-1',
      kernel: '6.18.0',
      os: 'Debian GNU/Linux 13',
      arch: 'x86_64',
      cpuCount: 2,
      memoryBytes: 24 * 2 ** 30,
    },
    interfaces: [{ name: 'eth0', mac: '02:00:00:00:00:0a', ips: ['192.168.50.10/24'] }],
    processes: [],
    containers: [],
    k8s: {
      cluster: { name: 'shop-cluster', uid: 'kube-system-uid' },
      nodes: [
        { uid: 'node-a-uid', name: 'node-a', ips: ['192.168.50.10'], labels: { zone: 'a' }, annotations: {} },
      ],
      namespaces: ['shop', 'data'].map((n) => ({
        uid: `ns-${n}`,
        name: n,
        labels: { team: n },
        annotations: {},
      })),
      workloads,
      pods,
      services,
    },
  };
}

const ipOf = (app: string, k: number) => {
  const pods = PODS.filter(([a]) => a === app);
  return pods[k % pods.length]![2];
};

interface Call {
  from: string;
  to: string;
  /** minutes ago the edge is active: [oldest, newest] */
  minutes: [number, number];
  perMinute: number;
  endpoint: string;
  protocol: RequestLog['l7_protocol'];
  latencyUs: number;
  failEvery?: number;
}

const CALLS: Call[] = [
  {
    from: 'frontend',
    to: 'cart',
    minutes: [10, 1],
    perMinute: 12,
    endpoint: '/api/cart',
    protocol: 'http1',
    latencyUs: 8_000,
  },
  {
    from: 'frontend',
    to: 'catalog',
    minutes: [10, 1],
    perMinute: 16,
    endpoint: '/api/items',
    protocol: 'http1',
    latencyUs: 15_000,
  },
  {
    from: 'cart',
    to: 'redis',
    minutes: [10, 1],
    perMinute: 20,
    endpoint: 'GET',
    protocol: 'redis',
    latencyUs: 400,
  },
  {
    from: 'cart',
    to: 'catalog',
    minutes: [10, 6],
    perMinute: 6,
    endpoint: '/api/items/price',
    protocol: 'http1',
    latencyUs: 12_000,
  },
  {
    from: 'catalog',
    to: 'mysql',
    minutes: [10, 1],
    perMinute: 16,
    endpoint: 'SELECT',
    protocol: 'mysql',
    latencyUs: 260_000,
  },
  {
    from: 'frontend',
    to: 'checkout',
    minutes: [4, 1],
    perMinute: 8,
    endpoint: '/api/checkout',
    protocol: 'http1',
    latencyUs: 40_000,
    failEvery: 4,
  },
  {
    from: 'checkout',
    to: 'mysql',
    minutes: [4, 1],
    perMinute: 8,
    endpoint: 'INSERT',
    protocol: 'mysql',
    latencyUs: 9_000,
  },
];

/** Request and flow logs of the shop, ending `nowUs`. */
export function shopTraffic(nowUs: number): { requests: RequestLog[]; flows: FlowLog[] } {
  const minute0 = Math.floor(nowUs / MIN) * MIN;
  const requests: RequestLog[] = [];
  const flows: FlowLog[] = [];
  let flowId = 1;
  for (const c of CALLS) {
    const server = PORT[c.to] ?? 8080;
    for (let ago = c.minutes[0]; ago >= c.minutes[1]; ago--) {
      const t0 = minute0 - ago * MIN;
      for (let i = 0; i < c.perMinute; i++) {
        const start = t0 + Math.floor((i * MIN) / c.perMinute) + 1000;
        const failed = c.failEvery !== undefined && i % c.failEvery === 0;
        const dur = c.latencyUs * (1 + (i % 5) / 4);
        const http = c.protocol === 'http1';
        requests.push({
          ...emptyRequestLog(),
          start_time: start,
          end_time: start + dur,
          response_duration: dur,
          l7_protocol: c.protocol,
          version: http ? '1.1' : '',
          request_type: http ? (i % 3 === 0 ? 'POST' : 'GET') : c.endpoint,
          request_domain: http ? `${c.to}.${NS_OF[c.to]}.svc` : '',
          request_resource: http ? `${c.endpoint}/${i}?v=${ago}` : `${c.endpoint} ... /* ${c.from} */`,
          endpoint: http ? c.endpoint : '',
          response_status: failed ? 'server_error' : 'ok',
          response_code: http ? (failed ? 503 : 200) : 0,
          response_exception: failed ? 'Service Unavailable' : '',
          ip_0: ipOf(c.from, i),
          ip_1: ipOf(c.to, i),
          client_port: 40_000 + (i % 2000),
          server_port: server,
          protocol: 'tcp',
          flow_id: flowId + i,
          observation_point: 's-p',
          signal_source: 'ebpf',
          process_kname_0: c.from,
          process_kname_1: c.to,
        });
      }
      flows.push({
        start_time: t0,
        end_time: t0 + MIN - 1,
        duration: MIN - 1,
        ip_0: ipOf(c.from, ago),
        ip_1: ipOf(c.to, ago),
        client_port: 50_000 + flowId,
        server_port: server,
        protocol: 'tcp',
        flow_id: flowId,
        byte_tx: 300 * c.perMinute,
        byte_rx: (c.protocol === 'mysql' ? 9000 : 2000) * c.perMinute,
        packet_tx: 2 * c.perMinute,
        packet_rx: 3 * c.perMinute,
        rtt: c.to === 'mysql' ? 900 : 120,
        rtt_client: 60,
        rtt_server: c.to === 'mysql' ? 840 : 60,
        srt: 80,
        art: c.latencyUs,
        retrans_tx: c.from === 'catalog' ? 2 : 0,
        retrans_rx: c.from === 'catalog' ? 1 : 0,
        zero_win_tx: 0,
        zero_win_rx: 0,
        syn_count: 1,
        synack_count: 1,
        close_type: c.to === 'checkout' && ago === 2 ? 'server_rst' : 'normal',
        l7_protocol: c.protocol,
        signal_source: 'packet',
        agent_id: 0,
      } as FlowLog);
      flowId += c.perMinute + 1;
    }
  }
  // a real capture, moved to two minutes ago
  const cap = readFileSync(join(ROOT, 'apps/agent/test/captures/http1.pcap'));
  const capFlows: FlowLog[] = [];
  const captured = replayBytes(cap, { onFlowLog: (f) => capFlows.push(f) });
  const first = Math.min(...captured.map((r) => r.start_time), ...capFlows.map((f) => f.start_time));
  const shift = minute0 - 2 * MIN + 5_000_000 - first;
  for (const r of captured)
    requests.push({ ...r, start_time: r.start_time + shift, end_time: r.end_time + shift });
  for (const f of capFlows)
    flows.push({ ...f, start_time: f.start_time + shift, end_time: f.end_time > 0 ? f.end_time + shift : 0 });
  return { requests, flows };
}

async function trpcGet<T>(stack: Stack, path: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${stack.apiPort}/trpc/${path}`, {
    headers: { authorization: `Bearer ${stack.adminToken}` },
  });
  const body = (await res.json()) as { result?: { data: T } };
  if (!body.result) throw new Error(`${path}: ${JSON.stringify(body)}`);
  return body.result.data;
}

async function until(ok: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Sends the shop to the stack as an agent and waits until the map can name its services.
 * Returns the moment (µs) the traffic is relative to.
 */
export async function ingestShop(stack: Stack, nowUs = Date.now() * 1000): Promise<number> {
  const report = shopReport(nowUs);
  let sender: Sender | undefined;
  const sendReport = () =>
    sender?.sendControl(encodeFrame({ type: 'resources', full: true, seq: 0, report }));
  sender = new Sender({
    url: `ws://127.0.0.1:${stack.apiPort}`,
    token: stack.agentToken,
    hostname: 'node-a',
    agentKey: 'shop-node-a',
    onConnected: () => void sendReport(),
  });
  await until(
    async () => (await trpcGet<{ pod: number }>(stack, 'resources.counts')).pod === PODS.length,
    30_000,
    'the shop resources to be recorded',
  );
  const { requests, flows } = shopTraffic(nowUs);
  const agg = new MetricsAggregator({ emit: (row) => sender.enqueue(row) });
  for (const r of requests) {
    agg.onRecord(r);
    sender.enqueue({ kind: 'request_log', ...r });
  }
  for (const f of flows) {
    agg.onFlowLog(f);
    sender.enqueue({ kind: 'flow_log', ...f });
  }
  agg.flush();
  await sender.flush();
  await sender.close();
  // names reach the flow_tag dictionaries with the next tag sync (every few seconds)
  const range = { start: Math.floor(nowUs / 1e6) - 900, end: Math.floor(nowUs / 1e6) + 60 };
  await until(
    async () => {
      const g = await trpcGet<{ edges: { source: string; target: string }[] }>(
        stack,
        `map.graph?input=${encodeURIComponent(JSON.stringify({ ...range, groupBy: 'service' }))}`,
      );
      return g.edges.some((e) => e.source === 'frontend' && e.target === 'checkout');
    },
    30_000,
    'service names on the map',
  );
  return nowUs;
}
