/**
 * Ingest enrichment: fills the tag id columns of both ends (`<tag>_0`, `<tag>_1`) of a
 * decoded batch from the TagIndex, before the batch is written. An end resolves by
 *   1. the pid the agent saw (process_id_N, or process_id of a profile row) on that agent's host,
 *   2. a local address (loopback or the agent host's own): the process listening on the
 *      server port (server end), else the host,
 *   3. the address fleet-wide: pod IP, service cluster IP, host interface IP.
 * Columns whose rows all resolve alike stay constants; unresolved rows keep zeros.
 */
import type { ColumnBatch, ColumnData } from '@zeroscope/wire/codec';
import { type Column, TAG_ID_NAMES } from '@zeroscope/wire/columns';
import { ipKeyAt, isLoopbackKey } from './ip-key';
import type { AgentIndex, TagIndex, TagVector } from './tag-index';

interface EndLayout {
  /** column index of each TAG_ID_NAMES entry for this end */
  tags: number[];
  pid: number;
  ip: number;
  port: number;
}

const layouts = new WeakMap<readonly Column[], (EndLayout | undefined)[]>();

function layoutOf(columns: readonly Column[]): (EndLayout | undefined)[] {
  let l = layouts.get(columns);
  if (l) return l;
  const at = new Map(columns.map((c, i) => [c.name, i]));
  l = ([0, 1] as const).map((end) => {
    const tags = TAG_ID_NAMES.map((n) => at.get(`${n}_${end}`) ?? -1);
    if (tags.some((i) => i < 0)) return undefined;
    return {
      tags,
      // one-ended rows (profiles: `<tag>_1` ids) name their pid `process_id`
      pid: at.get(`process_id_${end}`) ?? (end === 1 ? at.get('process_id') : undefined) ?? -1,
      ip: at.get(`ip_${end}`) ?? -1,
      port: end === 1 ? (at.get('server_port') ?? -1) : -1,
    };
  });
  layouts.set(columns, l);
  return l;
}

const numAt = (d: ColumnData | undefined, i: number): number =>
  d === undefined ? 0 : d.kind === 'num' ? d.values[i]! : d.kind === 'const' ? d.value : 0;

export interface EnrichStats {
  rows: number;
  resolved: number;
}

/** Returns the batch with its tag id columns filled (a new batch; the input's arrays are reused). */
export function enrichBatch(
  batch: ColumnBatch,
  index: TagIndex,
  agentId: number,
  stats?: EnrichStats,
): ColumnBatch {
  const layout = layoutOf(batch.columns);
  if (!layout[0] && !layout[1]) return batch;
  const agent = index.agents.get(agentId);
  let data: ColumnData[] | undefined;
  const n = batch.rows;
  for (const end of [0, 1] as const) {
    const l = layout[end];
    if (!l) continue;
    const vecs = resolveEnd(batch, l, agent, index, end);
    if (!vecs) continue;
    data ??= [...batch.data];
    writeEnd(data, l, vecs, n);
    if (stats) for (const v of vecs) if (v) stats.resolved++;
  }
  if (stats) stats.rows += n;
  return data ? { rows: n, columns: batch.columns, data } : batch;
}

/** The vector of each row (undefined = unresolved), or undefined when no row resolved. */
function resolveEnd(
  batch: ColumnBatch,
  l: EndLayout,
  agent: AgentIndex | undefined,
  index: TagIndex,
  end: 0 | 1,
): (TagVector | undefined)[] | undefined {
  const n = batch.rows;
  const pidCol = l.pid >= 0 ? batch.data[l.pid] : undefined;
  const ipCol = l.ip >= 0 ? batch.data[l.ip] : undefined;
  const portCol = l.port >= 0 ? batch.data[l.port] : undefined;
  const ipBytes = ipCol?.kind === 'ip' ? ipCol.data : ipCol?.kind === 'ipconst' ? ipCol.value : undefined;
  const ipStride = ipCol?.kind === 'ip' ? 16 : 0;
  const out = new Array<TagVector | undefined>(n);
  let any = false;
  let lastPid = -1;
  let lastPidVec: TagVector | undefined;
  let lastKey: number | string = -1;
  let lastIpVec: TagVector | undefined;
  let lastPort = -1;
  for (let i = 0; i < n; i++) {
    let v: TagVector | undefined;
    const pid = numAt(pidCol, i);
    if (pid !== 0 && agent) {
      if (pid !== lastPid) {
        lastPid = pid;
        lastPidVec = agent.byPid.get(pid);
      }
      v = lastPidVec;
    }
    if (!v && ipBytes) {
      const key = ipKeyAt(ipBytes, i * ipStride);
      const port = numAt(portCol, i);
      if (key !== lastKey || port !== lastPort) {
        lastKey = key;
        lastPort = port;
        lastIpVec = byAddress(key, port, agent, index, end);
      }
      v = lastIpVec;
    }
    if (v) any = true;
    out[i] = v;
  }
  return any ? out : undefined;
}

function byAddress(
  key: number | string,
  port: number,
  agent: AgentIndex | undefined,
  index: TagIndex,
  end: 0 | 1,
): TagVector | undefined {
  if (agent && (isLoopbackKey(key) || agent.ownIps.has(key))) {
    if (end === 1 && port !== 0) {
      const p = agent.listen.get(port);
      if (p) return p;
    }
    return agent.host;
  }
  return index.byIp.get(key);
}

function writeEnd(
  data: ColumnData[],
  l: EndLayout,
  vecs: readonly (TagVector | undefined)[],
  n: number,
): void {
  const first = vecs[0];
  let same = true;
  for (let i = 1; i < n && same; i++) same = vecs[i] === first;
  for (let t = 0; t < l.tags.length; t++) {
    const col = l.tags[t]!;
    if (same) {
      data[col] = { kind: 'const', value: first ? first[t]! : 0 };
      continue;
    }
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = vecs[i];
      if (v) values[i] = v[t]!;
    }
    data[col] = { kind: 'num', values };
  }
}
