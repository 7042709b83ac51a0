/**
 * Recording of what one agent sees on its node: host, interfaces, containers, processes.
 * Called with the collection deltas between the last recorded report and the new one.
 */
import type {
  CollectionDelta,
  ContainerInfo,
  HostInfo,
  InterfaceInfo,
  ProcessInfo,
} from '@zeroscope/wire/resources';
import type { Db } from '../resources/db';
import { hostUid, type IdMaps, processKey, processServiceName } from './ids';
import { emit, emitUpsert, json, type RecordCtx } from './record-context';

/** Upserts the Host by machine id and links the agent to it; returns the host id. */
export async function recordHost(
  db: Db,
  ids: IdMaps,
  agentKey: string,
  h: HostInfo,
  now: Date,
): Promise<{ id: number; created: boolean }> {
  const uid = hostUid(h);
  const known = ids.hosts.get(uid);
  const data = { hostname: h.hostname, os: h.os || null, kernel: h.kernel || null, arch: h.arch || null };
  const row = await db.host.upsert({
    where: { uid },
    create: { uid, ...data, firstSeen: now, lastSeen: now },
    update: { ...data, lastSeen: now },
  });
  ids.hosts.set(uid, row.id);
  await db.agent.updateMany({ where: { id: agentKey }, data: { hostId: row.id } });
  return { id: row.id, created: known === undefined && row.firstSeen.getTime() === now.getTime() };
}

export async function recordInterfaces(c: RecordCtx, d: CollectionDelta<InterfaceInfo>): Promise<void> {
  for (const i of [...d.added, ...d.changed]) {
    const data = { mac: i.mac || null, ips: [...i.ips], lastSeen: c.now };
    await c.db.netInterface.upsert({
      where: { hostId_name: { hostId: c.hostId, name: i.name } },
      create: { hostId: c.hostId, name: i.name, ...data },
      update: data,
    });
  }
  if (d.removed.length > 0)
    await c.db.netInterface.deleteMany({ where: { hostId: c.hostId, name: { in: d.removed } } });
}

export async function recordContainers(c: RecordCtx, d: CollectionDelta<ContainerInfo>): Promise<void> {
  for (const ct of [...d.added, ...d.changed]) {
    const podId = ct.podUid ? (c.ids.pods.get(ct.podUid) ?? null) : null;
    const data = {
      hostId: c.hostId,
      name: ct.name || null,
      image: ct.image || null,
      runtime: ct.runtime,
      podId,
      labels: json(ct.labels),
      lastSeen: c.now,
      deletedAt: null,
    };
    const known = c.ids.containers.has(ct.id);
    const row = await c.db.container.upsert({
      where: { uid: ct.id },
      create: { uid: ct.id, ...data, firstSeen: c.now },
      update: data,
    });
    c.ids.containers.set(ct.id, row.id);
    emitUpsert(c, known, row, 'container', ct.name || ct.id.slice(0, 12));
  }
  const gone: number[] = [];
  for (const uid of d.removed) {
    const id = c.ids.containers.get(uid);
    if (id === undefined) continue;
    c.ids.containers.delete(uid);
    gone.push(id);
    emit(c, 'deleted', 'container', id, uid.slice(0, 12));
  }
  if (gone.length > 0)
    await c.db.container.updateMany({ where: { id: { in: gone } }, data: { deletedAt: c.now } });
}

const startDate = (us: number) => new Date(Math.floor(us / 1000));

export async function recordProcesses(c: RecordCtx, d: CollectionDelta<ProcessInfo>): Promise<void> {
  for (const p of [...d.added, ...d.changed]) {
    const containerId = p.containerId ? (c.ids.containers.get(p.containerId) ?? null) : null;
    const data = {
      comm: p.comm,
      cmdline: p.cmdline,
      env: json(p.env),
      containerId,
      lastSeen: c.now,
      exitedAt: null,
    };
    const key = processKey(c.hostId, p.pid, p.startTime);
    const known = c.ids.processes.has(key);
    const row = await c.db.process.upsert({
      where: { hostId_pid_startTime: { hostId: c.hostId, pid: p.pid, startTime: startDate(p.startTime) } },
      create: { hostId: c.hostId, pid: p.pid, startTime: startDate(p.startTime), ...data, firstSeen: c.now },
      update: data,
    });
    c.ids.processes.set(key, row.id);
    emitUpsert(c, known, row, 'gprocess', processServiceName(p));
  }
  const gone: number[] = [];
  for (const k of d.removed) {
    const [pid, start] = k.split(':').map(Number) as [number, number];
    const key = processKey(c.hostId, pid, start);
    const id = c.ids.processes.get(key);
    if (id === undefined) continue;
    c.ids.processes.delete(key);
    gone.push(id);
    emit(c, 'deleted', 'gprocess', id, String(pid));
  }
  if (gone.length > 0)
    await c.db.process.updateMany({ where: { id: { in: gone } }, data: { exitedAt: c.now } });
}

/**
 * After an API restart the first report is compared with nothing: processes the store still
 * holds as running on this host but the report lacks have exited meanwhile.
 */
export async function closeMissingProcesses(c: RecordCtx, live: readonly ProcessInfo[]): Promise<number> {
  const keep = live
    .map((p) => c.ids.processes.get(processKey(c.hostId, p.pid, p.startTime)))
    .filter((id): id is number => id !== undefined);
  const gone = await c.db.process.findMany({
    where: { hostId: c.hostId, exitedAt: null, id: { notIn: keep } },
    select: { id: true, pid: true },
  });
  if (gone.length === 0) return 0;
  await c.db.process.updateMany({ where: { id: { in: gone.map((p) => p.id) } }, data: { exitedAt: c.now } });
  for (const p of gone) emit(c, 'deleted', 'gprocess', p.id, String(p.pid));
  return gone.length;
}
