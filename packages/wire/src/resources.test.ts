import { describe, expect, it } from 'vitest';
import { decodeAgentFrame, encodeFrame } from './protocol';
import {
  applyResourceDelta,
  checkResourcesFrame,
  diffResources,
  isEmptyDelta,
  type ProcessInfo,
  type ResourceReport,
  type ResourcesFrame,
} from './resources';

const proc = (pid: number, over: Partial<ProcessInfo> = {}): ProcessInfo => ({
  pid,
  ppid: 1,
  startTime: 1_700_000_000_000_000 + pid,
  comm: `p${pid}`,
  cmdline: `/bin/p${pid} --serve`,
  exe: `/bin/p${pid}`,
  uid: 0,
  cgroup: '/system.slice/p.service',
  containerId: '',
  podUid: '',
  env: { LANG: 'C' },
  listen: [],
  ...over,
});

const base = (): ResourceReport => ({
  time: 1,
  host: {
    hostname: 'n1',
    machineId: 'm',
    bootId: 'b',
    kernel: '6.18',
    os: 'Debian',
    arch: 'x64',
    cpuCount: 2,
    memoryBytes: 1 << 30,
  },
  interfaces: [{ name: 'eth0', mac: '02:00:00:00:00:01', ips: ['10.0.0.5/24'] }],
  processes: [proc(10), proc(11), proc(12)],
  containers: [],
  k8s: {
    cluster: { name: 'c', uid: 'u' },
    nodes: [{ uid: 'n', name: 'n1', ips: ['10.0.0.5'], labels: {}, annotations: {} }],
    namespaces: [{ uid: 'ns1', name: 'default', labels: {}, annotations: {} }],
    workloads: [],
    pods: [],
    services: [],
  },
});

describe('diffResources / applyResourceDelta', () => {
  it('an unchanged snapshot gives an empty delta', () => {
    const d = diffResources(base(), { ...base(), time: 2 });
    expect(isEmptyDelta(d)).toBe(true);
    expect(d.time).toBe(2);
  });

  it('reports added, changed and removed items by key, and host changes', () => {
    const prev = base();
    const next = base();
    next.time = 2;
    next.host.memoryBytes = 2 << 30;
    next.processes = [proc(10), proc(11, { cmdline: '/bin/p11 --other' }), proc(13)];
    next.k8s!.pods.push({
      uid: 'pod-1',
      name: 'web-1',
      namespace: 'default',
      node: 'n1',
      phase: 'Running',
      ips: ['10.1.0.2'],
      containers: [{ name: 'web', id: 'a'.repeat(64), image: 'nginx' }],
      labels: { app: 'web' },
      annotations: {},
    });
    const d = diffResources(prev, next);
    expect(d.host?.memoryBytes).toBe(2 << 30);
    expect(d.interfaces).toBeUndefined();
    expect(d.processes?.added.map((p) => p.pid)).toEqual([13]);
    expect(d.processes?.changed.map((p) => p.pid)).toEqual([11]);
    expect(d.processes?.removed).toEqual([`12:${proc(12).startTime}`]);
    expect(d.k8s?.pods?.added).toHaveLength(1);
    expect(d.k8s?.nodes).toBeUndefined();
    expect(applyResourceDelta(prev, d)).toEqual(next);
  });

  it('a reused pid with a new start time is a removal plus an addition', () => {
    const prev = base();
    const next = { ...base(), processes: [proc(10, { startTime: 5 }), proc(11), proc(12)] };
    const d = diffResources(prev, next);
    expect(d.processes?.added.map((p) => p.startTime)).toEqual([5]);
    expect(d.processes?.removed).toEqual([`10:${proc(10).startTime}`]);
  });

  it('losing Kubernetes removes every object; map key order does not count as a change', () => {
    const prev = base();
    prev.processes[0]!.env = { A: '1', B: '2' };
    const next = base();
    next.processes[0]!.env = { B: '2', A: '1' };
    delete next.k8s;
    const d = diffResources(prev, next);
    expect(d.processes).toBeUndefined();
    expect(d.k8s?.nodes?.removed).toEqual(['n1']);
    expect(d.k8s?.namespaces?.removed).toEqual(['default']);
    expect(applyResourceDelta(prev, d).k8s?.nodes).toEqual([]);
  });
});

describe('resources frames', () => {
  const full: ResourcesFrame = { type: 'resources', full: true, seq: 0, report: base() };

  it('decodes a full report and a delta when the API opts in', () => {
    const r = decodeAgentFrame(encodeFrame(full), false, { resources: true });
    expect(r.ok && r.frame).toEqual(full);
    const next = base();
    next.processes.pop();
    const delta: ResourcesFrame = {
      type: 'resources',
      full: false,
      seq: 1,
      delta: diffResources(base(), next),
    };
    const d = decodeAgentFrame(Buffer.from(encodeFrame(delta)), false, { resources: true });
    expect(d.ok && d.frame).toEqual(delta);
  });

  it('is refused as unknown_type without the opt-in (older API behaviour)', () => {
    const r = decodeAgentFrame(encodeFrame(full), false);
    expect(!r.ok && r.error.code).toBe('unknown_type');
  });

  it('refuses bad shapes with the path of the first bad field', () => {
    const bad = structuredClone(full) as unknown as { report: { processes: { pid: unknown }[] } };
    bad.report.processes[1]!.pid = -1;
    const r = decodeAgentFrame(JSON.stringify(bad), false, { resources: true });
    expect(!r.ok && r.error.code).toBe('bad_field');
    expect(!r.ok && r.error.message).toContain('report.processes[1].pid');
    const noSeq = decodeAgentFrame(JSON.stringify({ type: 'resources', full: true, report: base() }), false, {
      resources: true,
    });
    expect(noSeq.ok).toBe(false);
    const badKind = structuredClone(full);
    badKind.report.k8s!.workloads.push({
      uid: 'w',
      kind: 'Pod' as 'Deployment',
      name: 'x',
      namespace: 'default',
      labels: {},
      annotations: {},
    });
    expect(decodeAgentFrame(encodeFrame(badKind), false, { resources: true }).ok).toBe(false);
  });

  it('refuses frames over the size bound before parsing them', () => {
    const huge = `{"type":"resources","pad":"${'x'.repeat(9 * 1024 * 1024)}"}`;
    const r = decodeAgentFrame(huge, false, { resources: true });
    expect(!r.ok && r.error.code).toBe('bad_frame');
  });

  it('drops secret-named env entries whatever the agent sent', () => {
    const f = structuredClone(full) as unknown as Record<string, unknown>;
    const report = f.report as ResourceReport;
    report.processes[0]!.env = { LANG: 'C', DB_PASSWORD: 'hunter2', API_KEY: 'k', OTEL_SERVICE_NAME: 'web' };
    expect(checkResourcesFrame(f)).toBeUndefined();
    expect(report.processes[0]!.env).toEqual({ LANG: 'C', OTEL_SERVICE_NAME: 'web' });
  });
});
