import { describe, expect, it } from 'vitest';
import { parseCgroup } from './cgroup';

const ID = '3f4a9c0e1b2d5f6a7c8e9d0b1a2c3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d';
const POD = '0a1b2c3d-4e5f-6789-abcd-ef0123456789';

describe('parseCgroup', () => {
  it.each([
    ['docker, systemd driver, cgroup v2', `0::/system.slice/docker-${ID}.scope\n`, 'docker', ''],
    [
      'docker, cgroupfs driver, cgroup v1',
      `12:pids:/docker/${ID}\n11:cpu,cpuacct:/docker/${ID}\n1:name=systemd:/docker/${ID}\n`,
      'docker',
      '',
    ],
    [
      'containerd in Kubernetes (systemd)',
      `0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${POD.replaceAll('-', '_')}.slice/cri-containerd-${ID}.scope\n`,
      'containerd',
      POD,
    ],
    ['Kubernetes with cgroupfs', `0::/kubepods/besteffort/pod${POD}/${ID}\n`, 'unknown', POD],
    [
      'cri-o in Kubernetes (v1 lines)',
      `10:pids:/kubepods.slice/kubepods-pod${POD.replaceAll('-', '_')}.slice/crio-${ID}.scope\n1:name=systemd:/kubepods.slice/kubepods-pod${POD.replaceAll('-', '_')}.slice/crio-${ID}.scope\n`,
      'cri-o',
      POD,
    ],
    ['podman rootful', `0::/machine.slice/libpod-${ID}.scope\n`, 'podman', ''],
    [
      'podman rootless',
      `0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID}.scope/container\n`,
      'podman',
      '',
    ],
    ['podman cgroupfs', `0::/libpod_parent/libpod-${ID}\n`, 'podman', ''],
    ['systemd inside a docker container', `0::/system.slice/docker-${ID}.scope/init.scope\n`, 'docker', ''],
  ])('%s', (_name, text, runtime, podUid) => {
    const c = parseCgroup(text);
    expect(c.containerId).toBe(ID);
    expect(c.runtime).toBe(runtime);
    expect(c.podUid).toBe(podUid);
  });

  it('finds no container for host processes, conmon monitors and pod-level cgroups', () => {
    expect(parseCgroup('0::/user.slice/user-0.slice/session-3.scope\n')).toMatchObject({
      path: '/user.slice/user-0.slice/session-3.scope',
      containerId: '',
      podUid: '',
    });
    expect(
      parseCgroup(
        `0::/kubepods.slice/kubepods-pod${POD.replaceAll('-', '_')}.slice/crio-conmon-${ID}.scope\n`,
      ).containerId,
    ).toBe('');
    expect(parseCgroup(`0::/machine.slice/libpod-conmon-${ID}.scope\n`).containerId).toBe('');
    expect(parseCgroup(`0::/kubepods/burstable/pod${POD}\n`)).toMatchObject({ containerId: '', podUid: POD });
  });

  it('prefers the unified line and tolerates junk', () => {
    expect(parseCgroup(`3:memory:/docker/${ID}\n0::/init.scope\n`).path).toBe('/init.scope');
    expect(parseCgroup('garbage\n\n::\n').containerId).toBe('');
    expect(parseCgroup(`0::/docker/${ID.slice(1)}\n`).containerId).toBe('');
  });
});
