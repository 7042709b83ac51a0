/** Local HTTP server replaying the recorded Kubernetes API responses of this folder (see README). */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const FIX = import.meta.dirname;
export const TOKEN = 'test-token-123';

type Reply = string | { status: number; file: string };
interface Script {
  lists: Reply[];
  watches: Reply[];
}
const script = (): Record<string, Script> => ({
  '/api/v1/pods': {
    lists: ['pods-page-1.json', 'pods-page-2.json', 'pods-relist.json'],
    watches: ['pods-watch-1.ndjson', 'pods-watch-2.ndjson'],
  },
  '/api/v1/services': {
    lists: ['services.json', 'services-relist.json'],
    watches: [{ status: 410, file: 'status-410.json' }],
  },
  '/api/v1/namespaces': { lists: [{ status: 500, file: 'status-500.json' }, 'namespaces.json'], watches: [] },
  '/api/v1/nodes': { lists: ['nodes.json'], watches: [] },
  '/apis/apps/v1/replicasets': { lists: ['replicasets.json'], watches: [] },
  '/apis/apps/v1/deployments': { lists: ['deployments.json'], watches: [] },
  '/apis/apps/v1/statefulsets': { lists: ['statefulsets.json'], watches: [] },
  '/apis/apps/v1/daemonsets': { lists: ['daemonsets.json'], watches: [] },
  '/apis/batch/v1/jobs': { lists: ['jobs.json'], watches: [] },
  '/apis/batch/v1/cronjobs': { lists: ['cronjobs.json'], watches: [] },
});

export interface FixtureServer {
  url: string;
  requests: { path: string; query: URLSearchParams }[];
  served: Map<string, { lists: number; watches: number }>;
  close(): void;
}

function reply(res: http.ServerResponse, r: Reply) {
  const file = typeof r === 'string' ? r : r.file;
  res.writeHead(typeof r === 'string' ? 200 : r.status, { 'content-type': 'application/json' });
  res.end(fs.readFileSync(path.join(FIX, file)));
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const steps = script();
  const requests: FixtureServer['requests'] = [];
  const served: FixtureServer['served'] = new Map();
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    requests.push({ path: u.pathname, query: u.searchParams });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401).end('{"kind":"Status","code":401,"message":"Unauthorized"}');
      return;
    }
    const s = steps[u.pathname];
    if (!s) {
      res.writeHead(404).end();
      return;
    }
    const n = served.get(u.pathname) ?? { lists: 0, watches: 0 };
    served.set(u.pathname, n);
    if (u.searchParams.get('watch') === '1') {
      const r = s.watches[n.watches++];
      if (r) return reply(res, r);
      // Past the script: an idle watch the client keeps open.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      return;
    }
    reply(res, s.lists[Math.min(n.lists++, s.lists.length - 1)]!);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    served,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}
