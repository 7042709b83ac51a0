/**
 * A node as an agent reports it: host `node-a` with a plain process (nginx, a custom tag in
 * its env), a containerised process of pod `cart-1` (Deployment `cart`, selected by Service
 * `cart`), a client process, and the cluster `prod` with a second pod `db-0` elsewhere.
 */
import type {
  K8sPodInfo,
  K8sReport,
  ProcessInfo,
  ResourceReport,
  ResourcesFrame,
} from '@zeroscope/wire/resources';

export const T0 = 1_790_000_000_000_000;
export const CART_CONTAINER = 'c'.repeat(64);
export const ADDR = {
  host: '10.1.0.5',
  cartPod: '10.2.0.11',
  dbPod: '10.2.0.20',
  cartService: '10.3.0.10',
  outside: '8.8.8.8',
} as const;

const proc = (p: Partial<ProcessInfo> & Pick<ProcessInfo, 'pid' | 'comm'>): ProcessInfo => ({
  ppid: 1,
  startTime: T0 + p.pid,
  cmdline: p.comm,
  exe: `/usr/bin/${p.comm}`,
  uid: 0,
  cgroup: '/',
  containerId: '',
  podUid: '',
  env: {},
  listen: [],
  ...p,
});

export const NGINX = proc({
  pid: 100,
  comm: 'nginx',
  env: { ZEROSCOPE_TAG_team: 'edge', LANG: 'C.UTF-8' },
  listen: [{ proto: 'tcp', ip: '0.0.0.0', port: 80 }],
});
export const CART = proc({
  pid: 200,
  comm: 'java',
  containerId: CART_CONTAINER,
  podUid: 'uid-cart-1',
  env: { OTEL_SERVICE_NAME: 'cart-svc' },
  listen: [{ proto: 'tcp6', ip: '::', port: 8080 }],
});
export const CURL = proc({ pid: 300, comm: 'curl' });

export const CART_POD: K8sPodInfo = {
  uid: 'uid-cart-1',
  name: 'cart-1',
  namespace: 'shop',
  node: 'node-a',
  phase: 'Running',
  ips: [ADDR.cartPod],
  containers: [{ name: 'cart', id: CART_CONTAINER, image: 'cart:1' }],
  workload: { kind: 'Deployment', name: 'cart', uid: 'uid-dep-cart' },
  labels: { app: 'cart', tier: 'backend' },
  annotations: { 'shop.example/team': "pay'ments" },
};
const DB_POD: K8sPodInfo = {
  uid: 'uid-db-0',
  name: 'db-0',
  namespace: 'shop',
  node: 'node-b',
  phase: 'Running',
  ips: [ADDR.dbPod],
  containers: [],
  workload: { kind: 'StatefulSet', name: 'db', uid: 'uid-sts-db' },
  labels: { app: 'db' },
  annotations: {},
};

export function k8s(): K8sReport {
  return {
    cluster: { name: 'prod', uid: 'uid-kube-system' },
    nodes: [{ uid: 'uid-node-a', name: 'node-a', ips: [ADDR.host], labels: {}, annotations: {} }],
    namespaces: [{ uid: 'uid-ns-shop', name: 'shop', labels: { env: 'prod' }, annotations: {} }],
    workloads: [
      {
        uid: 'uid-dep-cart',
        kind: 'Deployment',
        name: 'cart',
        namespace: 'shop',
        labels: {},
        annotations: {},
      },
      { uid: 'uid-sts-db', kind: 'StatefulSet', name: 'db', namespace: 'shop', labels: {}, annotations: {} },
    ],
    pods: [CART_POD, DB_POD],
    services: [
      {
        uid: 'uid-svc-cart',
        name: 'cart',
        namespace: 'shop',
        type: 'ClusterIP',
        clusterIps: [ADDR.cartService],
        selector: { app: 'cart' },
        ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: '8080', nodePort: 0 }],
        labels: {},
        annotations: {},
      },
    ],
  };
}

export function nodeReport(time = T0): ResourceReport {
  return {
    time,
    host: {
      hostname: 'node-a',
      machineId: 'machine-node-a',
      bootId: 'boot-1',
      kernel: '6.18.0',
      os: 'Debian GNU/Linux 13',
      arch: 'x86_64',
      cpuCount: 2,
      memoryBytes: 8 << 30,
    },
    interfaces: [
      { name: 'lo', mac: '', ips: ['127.0.0.1/8', '::1/128'] },
      { name: 'eth0', mac: '02:00:00:00:00:05', ips: [`${ADDR.host}/24`] },
    ],
    processes: [NGINX, CART, CURL],
    containers: [
      {
        id: CART_CONTAINER,
        runtime: 'containerd',
        name: 'cart',
        image: 'cart:1',
        podUid: 'uid-cart-1',
        labels: {},
      },
    ],
    k8s: k8s(),
  };
}

export const full = (report: ResourceReport, seq = 0): ResourcesFrame => ({
  type: 'resources',
  full: true,
  seq,
  report,
});
