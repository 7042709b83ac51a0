/**
 * Containers seen through their processes' cgroups, named from runtime metadata when the
 * runtime's state files are readable (best effort, read once per container id):
 *   docker      /var/lib/docker/containers/<id>/config.v2.json        Name, Config.Image, Config.Labels
 *   containerd  /run/containerd/io.containerd.runtime.v2.task/<ns>/<id>/config.json   CRI annotations
 *   cri-o       /run/containers/storage/overlay-containers/<id>/userdata/config.json annotations
 *   podman      /var/lib/containers/storage/overlay-containers/containers.json       names
 */
import fs from 'node:fs';
import type { ContainerInfo, ContainerRuntime, ProcessInfo } from '@zeroscope/wire/resources';
import { boundedMap, str } from './bounds';
import { parseCgroup } from './cgroup';
import { readText } from './procfs';

type Meta = Pick<ContainerInfo, 'name' | 'image' | 'podUid' | 'labels'> & { runtime?: ContainerRuntime };

const CONTAINERD_TASKS = '/run/containerd/io.containerd.runtime.v2.task';
const STORAGE_ROOTS = ['/run/containers/storage', '/var/lib/containers/storage'];

function readJson(path: string): Record<string, unknown> | undefined {
  const t = readText(path);
  if (t === undefined) return undefined;
  try {
    const v = JSON.parse(t) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function dockerMeta(root: string, id: string): Meta | undefined {
  const j = readJson(`${root}/var/lib/docker/containers/${id}/config.v2.json`);
  if (!j) return undefined;
  const config = (j.Config ?? {}) as Record<string, unknown>;
  const labels = boundedMap(config.Labels);
  return {
    runtime: 'docker',
    name: str(labels['io.kubernetes.container.name']) || str(j.Name).replace(/^\//, ''),
    image: str(config.Image),
    podUid: str(labels['io.kubernetes.pod.uid']),
    labels,
  };
}

/** OCI runtime spec annotations written by the containerd CRI plugin or CRI-O. */
function ociMeta(path: string, runtime: ContainerRuntime): Meta | undefined {
  const j = readJson(path);
  if (!j) return undefined;
  const a = boundedMap(j.annotations);
  return {
    runtime,
    name: a['io.kubernetes.cri.container-name'] ?? a['io.kubernetes.container.name'] ?? '',
    image: a['io.kubernetes.cri.image-name'] ?? a['io.kubernetes.cri-o.ImageName'] ?? '',
    podUid: a['io.kubernetes.cri.sandbox-uid'] ?? a['io.kubernetes.pod.uid'] ?? '',
    labels: a,
  };
}

function containerdMeta(root: string, id: string): Meta | undefined {
  let namespaces: string[] = [];
  try {
    namespaces = fs.readdirSync(`${root}${CONTAINERD_TASKS}`);
  } catch {
    return undefined;
  }
  for (const ns of namespaces) {
    const m = ociMeta(`${root}${CONTAINERD_TASKS}/${ns}/${id}/config.json`, 'containerd');
    if (m) return m;
  }
  return undefined;
}

function storageMeta(root: string, id: string): Meta | undefined {
  for (const s of STORAGE_ROOTS) {
    const m = ociMeta(`${root}${s}/overlay-containers/${id}/userdata/config.json`, 'cri-o');
    if (m?.name) return m;
    const list = readText(`${root}${s}/overlay-containers/containers.json`);
    if (!list) continue;
    try {
      const entries = JSON.parse(list) as { id?: string; names?: string[]; metadata?: string }[];
      const e = Array.isArray(entries) ? entries.find((x) => x.id === id) : undefined;
      if (e) return { runtime: 'podman', name: str(e.names?.[0]), image: '', podUid: '', labels: {} };
    } catch {}
  }
  return undefined;
}

export function readContainerMeta(root: string, id: string, runtime: ContainerRuntime): Meta | undefined {
  const order =
    runtime === 'docker'
      ? [dockerMeta]
      : runtime === 'containerd'
        ? [containerdMeta]
        : runtime === 'cri-o' || runtime === 'podman'
          ? [storageMeta]
          : [containerdMeta, dockerMeta, storageMeta];
  for (const read of order) {
    const m = read(root, id);
    if (m) return m;
  }
  return undefined;
}

/** Builds the container list from processes, caching metadata per container id. */
export class ContainerTracker {
  private readonly meta = new Map<string, Meta | null>();

  constructor(private readonly root = '') {}

  update(processes: readonly ProcessInfo[]): ContainerInfo[] {
    const out = new Map<string, ContainerInfo>();
    for (const p of processes) {
      if (!p.containerId || out.has(p.containerId)) continue;
      const runtime = parseCgroup(`0::${p.cgroup}`).runtime;
      let m = this.meta.get(p.containerId);
      if (m === undefined) {
        m = readContainerMeta(this.root, p.containerId, runtime) ?? null;
        this.meta.set(p.containerId, m);
      }
      out.set(p.containerId, {
        id: p.containerId,
        runtime: runtime !== 'unknown' ? runtime : (m?.runtime ?? 'unknown'),
        name: m?.name ?? '',
        image: m?.image ?? '',
        podUid: p.podUid || m?.podUid || '',
        labels: m?.labels ?? {},
      });
    }
    for (const id of this.meta.keys()) if (!out.has(id)) this.meta.delete(id);
    return [...out.values()];
  }

  /** Forgets cached misses so a later scan retries runtimes whose state was unreadable. */
  retryMisses(): void {
    for (const [id, m] of this.meta) if (m === null) this.meta.delete(id);
  }
}
