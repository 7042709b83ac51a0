/** How the agent reaches the Kubernetes API server: in-cluster service account or explicit. */
import fs from 'node:fs';

export class K8sError extends Error {
  constructor(
    readonly code: 'config' | 'http' | 'network' | 'decode' | 'gone',
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'K8sError';
  }
}

export interface K8sOptions {
  /** https://host:port of the API server (http:// for tests) */
  url: string;
  /** bearer token; re-read from tokenFile on every request when that is set (tokens rotate) */
  token?: string;
  tokenFile?: string;
  /** PEM CA bundle for the server certificate */
  ca?: string;
  /** only this node's pods are watched (spec.nodeName field selector) */
  nodeName?: string;
  /** name reported for the cluster; defaults to the uid of kube-system */
  clusterName?: string;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** server-side watch timeout; the watch is renewed after it */
  watchTimeoutSeconds?: number;
  /** a watch with no bytes (events or bookmarks) for this long is reconnected; default timeout + 30 s */
  idleTimeoutMs?: number;
  /** limit for a list request; default 60 s */
  requestTimeoutMs?: number;
  /** objects kept per resource kind; more are dropped and counted */
  maxObjects?: number;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * In-cluster configuration as client-go's rest.InClusterConfig reads it:
 * KUBERNETES_SERVICE_HOST/PORT plus the mounted service account token and CA.
 * `env` is passed in (apps read the environment once, in env.ts).
 */
export function inClusterConfig(
  env: Record<string, string | undefined>,
  dir = SERVICE_ACCOUNT_DIR,
): K8sOptions {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port)
    throw new K8sError('config', 'not in a cluster: KUBERNETES_SERVICE_HOST/PORT are not set');
  const tokenFile = `${dir}/token`;
  let ca: string;
  try {
    fs.accessSync(tokenFile, fs.constants.R_OK);
    ca = fs.readFileSync(`${dir}/ca.crt`, 'utf8');
  } catch (e) {
    throw new K8sError('config', `service account files unreadable in ${dir}: ${(e as Error).message}`);
  }
  const h = host.includes(':') ? `[${host}]` : host;
  return { url: `https://${h}:${port}`, tokenFile, ca, nodeName: env.NODE_NAME || undefined };
}
