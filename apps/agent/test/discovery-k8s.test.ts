/**
 * The Kubernetes list+watch client against a local HTTP server replaying recorded API
 * responses (test/k8s-fixtures, README there gives the script).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inClusterConfig, K8sError } from '../src/discovery/k8s/config';
import { K8sWatcher } from '../src/discovery/k8s/watcher';
import { type FixtureServer, startFixtureServer, TOKEN } from './k8s-fixtures/server';

const CONTINUE =
  'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTIwMCwic3RhcnQiOiJzaG9wL3dlYi03ZDRmOGM5Yjk2LWFiY2RlXHUwMDAwIn0';

let fx: FixtureServer;
let url = '';
let requests: FixtureServer['requests'];
let served: FixtureServer['served'];

beforeAll(async () => {
  fx = await startFixtureServer();
  ({ url, requests, served } = fx);
});

afterAll(() => fx.close());

async function until(cond: () => boolean, what: string, ms = 15_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('K8sWatcher against recorded API responses', () => {
  it('lists, watches, follows bookmarks, relists on 410 and resolves owners', async () => {
    const podStates: string[][] = [];
    let watcher: K8sWatcher | undefined;
    watcher = new K8sWatcher(
      { url, token: TOKEN, nodeName: 'node-1', clusterName: 'prod', minBackoffMs: 20, maxBackoffMs: 100 },
      () => {
        if (watcher)
          podStates.push(
            watcher
              .report()
              .pods.map((p) => `${p.name}:${p.phase}`)
              .sort(),
          );
      },
    );
    watcher.start();
    try {
      await until(
        () => watcher.synced && (served.get('/api/v1/pods')?.watches ?? 0) >= 3,
        'pods relisted and watched again',
      );
      await until(() => (served.get('/api/v1/services')?.lists ?? 0) >= 2, 'services relisted');
      await until(() => watcher.report().services.length === 3, 'relisted services applied');

      const pods = requests.filter((r) => r.path === '/api/v1/pods');
      // list page 1, page 2 (continue), watch from the list's rv, watch from the bookmark, relist, watch
      expect(
        pods.map((r) => (r.query.get('watch') ? `watch@${r.query.get('resourceVersion')}` : 'list')),
      ).toEqual(['list', 'list', 'watch@1200', 'watch@1250', 'list', 'watch@1400']);
      for (const r of pods) expect(r.query.get('fieldSelector')).toBe('spec.nodeName=node-1');
      expect(pods[0]!.query.get('limit')).toBe('500');
      expect(pods[0]!.query.has('continue')).toBe(false);
      expect(pods[1]!.query.get('continue')).toBe(CONTINUE);
      expect(pods[2]!.query.get('allowWatchBookmarks')).toBe('true');
      expect(pods[2]!.query.get('timeoutSeconds')).toBe('300');
      expect(requests.some((r) => r.path === '/api/v1/services' && r.query.has('fieldSelector'))).toBe(false);

      // The watch events were applied one by one before the relist.
      expect(podStates).toContainEqual([
        'node-exporter-8x7qz:Running',
        'report-28391100-xk2lp:Running',
        'web-7d4f8c9b96-abcde:Pending',
        'web-7d4f8c9b96-q9z8x:Pending',
      ]);
      expect(podStates).toContainEqual([
        'node-exporter-8x7qz:Running',
        'web-7d4f8c9b96-abcde:Running',
        'web-7d4f8c9b96-q9z8x:Pending',
      ]);

      const stats = watcher.stats();
      expect(stats['/api/v1/pods']).toMatchObject({ relists410: 1, badLines: 1, lists: 2 });
      expect(stats['/api/v1/services']).toMatchObject({ relists410: 1, lists: 2 });
      expect(stats['/api/v1/namespaces']!.errors).toBe(1);
      expect(stats['/api/v1/namespaces']!.lastError).toContain('etcdserver: request timed out');

      const report = watcher.report();
      expect(report.cluster).toEqual({ name: 'prod', uid: 'd1c0ffee-1b2c-4d3e-8f90-a1b2c3d4e5f6' });
      expect(report.nodes).toEqual([
        {
          uid: 'a8b7c6d5-e4f3-4a2b-9c1d-0e9f8a7b6c5d',
          name: 'node-1',
          ips: ['192.168.10.11'],
          labels: {
            'kubernetes.io/hostname': 'node-1',
            'kubernetes.io/os': 'linux',
            'node-role.kubernetes.io/worker': '',
          },
          annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
        },
      ]);
      const shop = report.namespaces.find((n) => n.name === 'shop')!;
      expect(shop.annotations).toEqual({ owner: 'checkout-team@example.com' });
      expect(shop.labels.team).toBe('checkout');

      // After the relist the deleted Job pod and the watch-added pod are gone, cache-0 appeared.
      const byName = new Map(report.pods.map((p) => [p.name, p]));
      expect([...byName.keys()].sort()).toEqual(['cache-0', 'node-exporter-8x7qz', 'web-7d4f8c9b96-abcde']);
      const web = byName.get('web-7d4f8c9b96-abcde')!;
      expect(web).toMatchObject({
        uid: '11111111-aaaa-4bbb-8ccc-000000000001',
        namespace: 'shop',
        node: 'node-1',
        phase: 'Running',
        ips: ['10.244.1.17'],
        owner: { kind: 'ReplicaSet', name: 'web-7d4f8c9b96', uid: '22222222-bbbb-4ccc-8ddd-000000000001' },
        workload: { kind: 'Deployment', name: 'web', uid: '66666666-ffff-4aaa-8bbb-000000000001' },
      });
      expect(web.containers).toEqual([
        {
          name: 'web',
          id: '3f4a9c0e1b2d5f6a7c8e9d0b1a2c3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d',
          image: 'registry.example.com/shop/web:1.4.2',
        },
        {
          name: 'envoy',
          id: 'cc00000000000000000000000000000000000000000000000000000000000001',
          image: 'envoyproxy/envoy:v1.31.0',
        },
      ]);
      expect(byName.get('cache-0')!.workload).toMatchObject({ kind: 'StatefulSet', name: 'cache' });
      expect(byName.get('cache-0')!.ips).toEqual(['10.244.1.30', 'fd00:10:244:1::1e']);
      expect(byName.get('node-exporter-8x7qz')!.workload).toMatchObject({ kind: 'DaemonSet' });

      const kinds = report.workloads.map((w) => `${w.kind}/${w.name}`).sort();
      expect(kinds).toEqual([
        'CronJob/report',
        'DaemonSet/node-exporter',
        'Deployment/web',
        'Job/report-28391100',
        'ReplicaSet/web-7d4f8c9b96',
        'StatefulSet/cache',
      ]);
      expect(report.workloads.find((w) => w.kind === 'Job')!.owner).toMatchObject({
        kind: 'CronJob',
        name: 'report',
      });

      const svc = new Map(report.services.map((s) => [s.name, s]));
      expect(svc.get('web')).toMatchObject({
        type: 'ClusterIP',
        clusterIps: ['10.96.12.34'],
        selector: { app: 'web' },
        ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 0 }],
      });
      expect(svc.get('cache')).toMatchObject({ type: 'Headless', clusterIps: [] });
      expect(svc.get('web-public')!.ports[0]).toMatchObject({ targetPort: '8080', nodePort: 30080 });
    } finally {
      await watcher.stop();
    }
  });

  it('a Job pod seen before the Job is listed resolves through the Job once it arrives', async () => {
    const { resolveWorkload } = await import('../src/discovery/k8s/watcher');
    const pod = {
      uid: 'p',
      name: 'report-1-x',
      namespace: 'shop',
      node: 'n',
      phase: 'Running',
      ips: [],
      containers: [],
      labels: {},
      annotations: {},
      owner: { kind: 'Job', name: 'report-1', uid: 'j' },
    };
    expect(resolveWorkload(pod, new Map())).toEqual(pod.owner);
    const job = {
      uid: 'j',
      kind: 'Job' as const,
      name: 'report-1',
      namespace: 'shop',
      labels: {},
      annotations: {},
      owner: { kind: 'CronJob', name: 'report', uid: 'c' },
    };
    expect(resolveWorkload(pod, new Map([['shop/Job/report-1', job]]))).toEqual(job.owner);
    // ReplicaSet not known yet: the pod-template-hash names the Deployment.
    const rsPod = {
      ...pod,
      labels: { 'pod-template-hash': '5f6d7c' },
      owner: { kind: 'ReplicaSet', name: 'api-5f6d7c', uid: 'r' },
    };
    expect(resolveWorkload(rsPod, new Map())).toEqual({ kind: 'Deployment', name: 'api', uid: '' });
  });

  it('stops promptly while watches are held open, and a wrong token only produces counted errors', async () => {
    const w = new K8sWatcher({ url, token: 'wrong', minBackoffMs: 10, maxBackoffMs: 20 }, () => {});
    w.start();
    await until(() => (w.stats()['/api/v1/nodes']?.errors ?? 0) >= 2, 'retries with backoff');
    expect(w.stats()['/api/v1/nodes']!.lastError).toContain('HTTP 401');
    expect(w.synced).toBe(false);
    await w.stop();
  });
});

describe('K8sWatcher on a silent connection', () => {
  it('drops a watch that stays silent past the idle timeout and watches again', async () => {
    const quiet = await startFixtureServer();
    const w = new K8sWatcher(
      { url: quiet.url, token: TOKEN, idleTimeoutMs: 300, minBackoffMs: 10, maxBackoffMs: 20 },
      () => {},
    );
    w.start();
    try {
      await until(() => (quiet.served.get('/api/v1/nodes')?.watches ?? 0) >= 3, 'nodes watched again');
      const nodes = w.stats()['/api/v1/nodes']!;
      expect(nodes.lastError).toContain('no data for 300 ms');
      expect(nodes.lists).toBe(1); // the resourceVersion is still valid: no relist
      expect(w.report().nodes.map((n) => n.name)).toEqual(['node-1']);
    } finally {
      await w.stop();
      quiet.close();
    }
  });
});

describe('inClusterConfig', () => {
  it('reads the service account mount and the service host/port', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zs-sa-'));
    fs.writeFileSync(path.join(dir, 'token'), 'sa-token\n');
    fs.writeFileSync(path.join(dir, 'ca.crt'), '-----BEGIN CERTIFICATE-----\n');
    fs.writeFileSync(path.join(dir, 'namespace'), 'zeroscope');
    const c = inClusterConfig(
      { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443', NODE_NAME: 'node-7' },
      dir,
    );
    expect(c).toEqual({
      url: 'https://10.96.0.1:443',
      tokenFile: `${dir}/token`,
      ca: '-----BEGIN CERTIFICATE-----\n',
      nodeName: 'node-7',
    });
    expect(
      inClusterConfig({ KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, dir).url,
    ).toBe('https://[fd00::1]:443');
    expect(() => inClusterConfig({}, dir)).toThrow(K8sError);
    expect(() =>
      inClusterConfig({ KUBERNETES_SERVICE_HOST: 'h', KUBERNETES_SERVICE_PORT: '1' }, `${dir}/nope`),
    ).toThrow(/service account files unreadable/);
  });
});
