/**
 * Container identity from /proc/<pid>/cgroup. Runtimes name the container's cgroup after
 * its id, with a runtime-specific prefix under systemd and a bare id under cgroupfs:
 *   docker      /system.slice/docker-<id>.scope        /docker/<id>
 *   containerd  .../cri-containerd-<id>.scope          /kubepods/<qos>/pod<uid>/<id>
 *   cri-o       .../crio-<id>.scope                    (crio-conmon-<id> is the monitor)
 *   podman      .../libpod-<id>.scope                  /libpod_parent/libpod-<id>
 * Kubernetes puts the pod uid in a parent: kubepods-<qos>-pod<uid with _>.slice or pod<uid>.
 */
import type { ContainerRuntime } from '@zeroscope/wire/resources';

export interface CgroupIdentity {
  /** the cgroup path used (v2 unified line, else a v1 controller line) */
  path: string;
  containerId: string;
  runtime: ContainerRuntime;
  podUid: string;
}

const ID_SEGMENT = /^(?:(docker|cri-containerd|crio|libpod|containerd|nerdctl)-)?([0-9a-f]{64})(?:\.scope)?$/;
const POD_SEGMENT =
  /pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})(?:\.slice)?$/;
const PREFIX_RUNTIME: Record<string, ContainerRuntime> = {
  docker: 'docker',
  'cri-containerd': 'containerd',
  containerd: 'containerd',
  nerdctl: 'containerd',
  crio: 'cri-o',
  libpod: 'podman',
};

/** Picks the unified (v2) path, else the v1 pids/cpu/systemd controller path. */
export function cgroupPath(text: string): string {
  let v1 = '';
  let v1Rank = 9;
  for (const line of text.split('\n')) {
    const a = line.indexOf(':');
    const b = line.indexOf(':', a + 1);
    if (a < 0 || b < 0) continue;
    const controllers = line.slice(a + 1, b);
    const path = line.slice(b + 1);
    if (line.slice(0, a) === '0' && controllers === '') return path;
    const names = controllers.split(',');
    const rank = names.includes('pids')
      ? 0
      : names.includes('cpu')
        ? 1
        : controllers === 'name=systemd'
          ? 2
          : 3;
    if (rank < v1Rank) {
      v1 = path;
      v1Rank = rank;
    }
  }
  return v1;
}

export function parseCgroup(text: string): CgroupIdentity {
  const path = cgroupPath(text);
  const segments = path.split('/');
  let containerId = '';
  let runtime: ContainerRuntime = 'unknown';
  let at = -1;
  for (let i = segments.length - 1; i >= 0; i--) {
    const m = ID_SEGMENT.exec(segments[i]!);
    if (!m) continue;
    containerId = m[2]!;
    at = i;
    if (m[1]) runtime = PREFIX_RUNTIME[m[1]] ?? 'unknown';
    break;
  }
  let podUid = '';
  for (let i = (at < 0 ? segments.length : at) - 1; i >= 0; i--) {
    const m = POD_SEGMENT.exec(segments[i]!);
    if (m) {
      podUid = m[1]!.replaceAll('_', '-');
      break;
    }
  }
  if (containerId && runtime === 'unknown') {
    const parents = segments.slice(0, at).join('/');
    if (/(^|\/)docker(\/|$)/.test(parents)) runtime = 'docker';
    else if (parents.includes('libpod')) runtime = 'podman';
  }
  return { path, containerId, runtime, podUid };
}
