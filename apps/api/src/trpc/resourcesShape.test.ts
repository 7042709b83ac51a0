import { describe, expect, it } from 'vitest';
import { matchRows, podRow, prefixed, processRow } from './resourcesShape';

describe('resource rows', () => {
  const pod = podRow({
    id: 3,
    name: 'cart-1',
    ip: '10.0.0.3',
    phase: 'Running',
    labels: { app: 'cart', tier: 'web' },
    annotations: { team: 'shop' },
    lastSeen: new Date('2026-01-01T00:00:00Z'),
    deletedAt: null,
    namespace: { name: 'shop' },
    node: { name: 'node-a' },
    workload: { kind: 'Deployment', name: 'cart' },
  });
  const proc = processRow({
    id: 9,
    pid: 42,
    comm: 'node',
    cmdline: 'node server.js',
    env: { PORT: '8080' },
    lastSeen: '2026-01-01T00:00:00Z',
    exitedAt: '2026-01-01T00:01:00Z',
    host: { hostname: 'h1' },
  });

  it('names tags the way queries do and keeps plain facts apart', () => {
    expect(pod.tags).toEqual({
      'k8s.label.app': 'cart',
      'k8s.label.tier': 'web',
      'k8s.annotation.team': 'shop',
    });
    expect(pod.facts).toEqual({
      ip: '10.0.0.3',
      phase: 'Running',
      node: 'node-a',
      workload: 'Deployment/cart',
    });
    expect(pod.lastSeen).toBe('2026-01-01T00:00:00.000Z');
    expect(proc).toMatchObject({ name: 'node', scope: 'h1', gone: true, tags: { 'os.env.PORT': '8080' } });
    expect(prefixed('x.', ['not', 'a', 'map'])).toEqual({});
    expect(prefixed('x.', null)).toEqual({});
  });

  it('matches free text anywhere and key=value terms on tags, all terms together', () => {
    const rows = [pod, proc];
    expect(matchRows(rows, 'k8s.label.app=cart')).toEqual([pod]);
    expect(matchRows(rows, 'K8S.LABEL.APP=CART')).toEqual([pod]);
    expect(matchRows(rows, 'k8s.label.app=car')).toEqual([]);
    expect(matchRows(rows, 'server.js')).toEqual([proc]);
    expect(matchRows(rows, 'shop node-a')).toEqual([pod]);
    expect(matchRows(rows, '  ')).toEqual(rows);
  });
});
