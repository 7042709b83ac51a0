import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProcessInfo } from '@zeroscope/wire/resources';
import { describe, expect, it } from 'vitest';
import { ContainerTracker } from './containers';

const id = (c: string) => c.repeat(64);
const proc = (pid: number, cgroup: string, containerId: string, podUid = ''): ProcessInfo => ({
  pid,
  ppid: 1,
  startTime: pid,
  comm: 'x',
  cmdline: 'x',
  exe: '',
  uid: 0,
  cgroup,
  containerId,
  podUid,
  env: {},
  listen: [],
});

function write(root: string, file: string, data: unknown) {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), JSON.stringify(data));
}

describe('ContainerTracker', () => {
  it('names containers from docker, containerd, cri-o and podman state files', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zs-rt-'));
    write(root, `var/lib/docker/containers/${id('a')}/config.v2.json`, {
      Name: '/shop-web-1',
      Config: { Image: 'nginx:1.27', Labels: { 'com.docker.compose.service': 'web' } },
    });
    write(root, `run/containerd/io.containerd.runtime.v2.task/k8s.io/${id('b')}/config.json`, {
      ociVersion: '1.1.0',
      annotations: {
        'io.kubernetes.cri.container-type': 'container',
        'io.kubernetes.cri.container-name': 'web',
        'io.kubernetes.cri.image-name': 'registry.example.com/shop/web:1.4.2',
        'io.kubernetes.cri.sandbox-uid': '11111111-aaaa-4bbb-8ccc-000000000001',
      },
    });
    write(root, `run/containers/storage/overlay-containers/${id('c')}/userdata/config.json`, {
      annotations: {
        'io.kubernetes.container.name': 'redis',
        'io.kubernetes.cri-o.ImageName': 'docker.io/library/redis:7.4',
        'io.kubernetes.pod.uid': '11111111-aaaa-4bbb-8ccc-000000000005',
      },
    });
    write(root, 'var/lib/containers/storage/overlay-containers/containers.json', [
      { id: id('d'), names: ['pg'], image: 'f'.repeat(64) },
    ]);
    const t = new ContainerTracker(root);
    const list = t.update([
      proc(1, `/system.slice/docker-${id('a')}.scope`, id('a')),
      proc(2, `/kubepods.slice/kubepods-pod1.slice/cri-containerd-${id('b')}.scope`, id('b')),
      proc(3, `/kubepods.slice/kubepods-pod2.slice/crio-${id('c')}.scope`, id('c')),
      proc(4, `/machine.slice/libpod-${id('d')}.scope`, id('d')),
      proc(5, `/docker/${id('e')}`, id('e')),
      proc(6, '/user.slice', ''),
      proc(7, `/system.slice/docker-${id('a')}.scope`, id('a')),
    ]);
    expect(list.map((c) => [c.runtime, c.name, c.image, c.podUid])).toEqual([
      ['docker', 'shop-web-1', 'nginx:1.27', ''],
      ['containerd', 'web', 'registry.example.com/shop/web:1.4.2', '11111111-aaaa-4bbb-8ccc-000000000001'],
      ['cri-o', 'redis', 'docker.io/library/redis:7.4', '11111111-aaaa-4bbb-8ccc-000000000005'],
      ['podman', 'pg', '', ''],
      ['docker', '', '', ''],
    ]);
    expect(list[0]!.labels).toEqual({ 'com.docker.compose.service': 'web' });
  });

  it('retries containers whose metadata was unreadable only when asked', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zs-rt-'));
    const t = new ContainerTracker(root);
    const p = [proc(1, `/docker/${id('a')}`, id('a'))];
    expect(t.update(p)[0]!.name).toBe('');
    write(root, `var/lib/docker/containers/${id('a')}/config.v2.json`, { Name: '/late', Config: {} });
    expect(t.update(p)[0]!.name).toBe('');
    t.retryMisses();
    expect(t.update(p)[0]!.name).toBe('late');
  });
});
