/**
 * Watches the cluster objects the resource report needs, one informer per collection,
 * and assembles them into a K8sReport with each pod's top controller resolved.
 * Pods are limited to this node (nodeName) so each agent reports its own pods; the
 * cluster-scoped and namespaced objects are the same for every agent.
 */
import type {
  K8sOwner,
  K8sPodInfo,
  K8sReport,
  K8sWorkloadInfo,
  WorkloadKind,
} from '@zeroscope/wire/resources';
import { K8sClient } from './client';
import type { K8sOptions } from './config';
import { Informer, type InformerOptions, type InformerStats } from './informer';
import { projectNamespace, projectNode, projectPod, projectService, workloadProjector } from './project';

const WORKLOAD_PATHS: Record<WorkloadKind, string> = {
  Deployment: '/apis/apps/v1/deployments',
  StatefulSet: '/apis/apps/v1/statefulsets',
  DaemonSet: '/apis/apps/v1/daemonsets',
  ReplicaSet: '/apis/apps/v1/replicasets',
  Job: '/apis/batch/v1/jobs',
  CronJob: '/apis/batch/v1/cronjobs',
};

/**
 * Top controller of a pod: ReplicaSet -> its Deployment, Job -> its CronJob. When the
 * ReplicaSet is not known (yet), the pod-template-hash convention `<deployment>-<hash>`
 * names the Deployment.
 */
export function resolveWorkload(
  pod: K8sPodInfo,
  workloads: ReadonlyMap<string, K8sWorkloadInfo>,
): K8sOwner | undefined {
  const owner = pod.owner;
  if (!owner) return undefined;
  const w = workloads.get(`${pod.namespace}/${owner.kind}/${owner.name}`);
  if (w?.owner && (w.owner.kind === 'Deployment' || w.owner.kind === 'CronJob')) return w.owner;
  if (!w && owner.kind === 'ReplicaSet') {
    const hash = pod.labels['pod-template-hash'];
    if (hash && owner.name.endsWith(`-${hash}`))
      return { kind: 'Deployment', name: owner.name.slice(0, -hash.length - 1), uid: '' };
  }
  return owner;
}

export interface K8sWatcherStats {
  [collection: string]: InformerStats;
}

export class K8sWatcher {
  private readonly client: K8sClient;
  private readonly nodes;
  private readonly namespaces;
  private readonly pods;
  private readonly services;
  private readonly workloads: Informer<K8sWorkloadInfo>[];

  constructor(
    private readonly opts: K8sOptions,
    onChange: () => void,
    log?: (line: string) => void,
  ) {
    this.client = new K8sClient(opts);
    const io: InformerOptions = {
      minBackoffMs: opts.minBackoffMs ?? 500,
      maxBackoffMs: opts.maxBackoffMs ?? 30_000,
      watchTimeoutSeconds: opts.watchTimeoutSeconds ?? 300,
      maxObjects: opts.maxObjects ?? 20_000,
      onChange,
      log,
    };
    this.nodes = new Informer(this.client, { path: '/api/v1/nodes', project: projectNode }, io);
    this.namespaces = new Informer(
      this.client,
      { path: '/api/v1/namespaces', project: projectNamespace },
      io,
    );
    this.pods = new Informer(
      this.client,
      {
        path: '/api/v1/pods',
        fieldSelector: opts.nodeName ? `spec.nodeName=${opts.nodeName}` : undefined,
        project: projectPod,
      },
      io,
    );
    this.services = new Informer(this.client, { path: '/api/v1/services', project: projectService }, io);
    this.workloads = (Object.keys(WORKLOAD_PATHS) as WorkloadKind[]).map(
      (kind) =>
        new Informer(this.client, { path: WORKLOAD_PATHS[kind], project: workloadProjector(kind) }, io),
    );
  }

  private all() {
    return [this.nodes, this.namespaces, this.pods, this.services, ...this.workloads];
  }

  start(): void {
    for (const i of this.all()) i.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.all().map((i) => i.stop()));
    this.client.close();
  }

  /** True once every collection has been listed at least once. */
  get synced(): boolean {
    return this.all().every((i) => i.synced);
  }

  stats(): K8sWatcherStats {
    const out: K8sWatcherStats = {};
    for (const i of this.all()) out[i.spec.path] = i.stats;
    return out;
  }

  report(): K8sReport {
    const workloads = new Map<string, K8sWorkloadInfo>();
    for (const inf of this.workloads)
      for (const w of inf.items()) workloads.set(`${w.namespace}/${w.kind}/${w.name}`, w);
    const namespaces = [...this.namespaces.items()];
    const kubeSystem = namespaces.find((n) => n.name === 'kube-system')?.uid ?? '';
    const pods = [...this.pods.items()].map((p) => {
      const w = resolveWorkload(p, workloads);
      return w ? { ...p, workload: w } : p;
    });
    return {
      cluster: { name: this.opts.clusterName || kubeSystem, uid: kubeSystem },
      nodes: [...this.nodes.items()],
      namespaces,
      workloads: [...workloads.values()],
      pods,
      services: [...this.services.items()],
    };
  }
}
