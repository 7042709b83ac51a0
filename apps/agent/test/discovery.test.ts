/**
 * startDiscovery end to end on this machine: frames pass the API's decoder, deltas applied
 * to the full report reproduce the agent's snapshot, processes come and go, Kubernetes
 * objects from the recorded API server arrive in a delta, and pids resolve for tagging.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { decodeAgentFrame, encodeFrame } from '@zeroscope/wire/protocol';
import { applyResourceDelta, type ResourceReport, type ResourcesFrame } from '@zeroscope/wire/resources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscoveryHandle, startDiscovery } from '../src/discovery/discovery';
import { type FixtureServer, startFixtureServer, TOKEN } from './k8s-fixtures/server';

let fx: FixtureServer;
beforeAll(async () => {
  fx = await startFixtureServer();
});
afterAll(() => fx.close());

async function until(cond: () => boolean, what: string, ms = 20_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What the API does: decode each frame, keep the full report, apply deltas in seq order. */
function apiSide() {
  const state = { report: undefined as ResourceReport | undefined, seq: -1, frames: 0, bytes: 0 };
  const receive = (f: ResourcesFrame) => {
    const text = encodeFrame(f);
    const decoded = decodeAgentFrame(text, false, { resources: true });
    if (!decoded.ok) throw decoded.error;
    const frame = decoded.frame as ResourcesFrame;
    state.frames++;
    state.bytes += text.length;
    if (frame.full) {
      state.report = frame.report;
      state.seq = frame.seq;
    } else {
      expect(frame.seq).toBe(state.seq + 1);
      state.seq = frame.seq;
      state.report = applyResourceDelta(state.report!, frame.delta);
    }
  };
  return { state, receive };
}

describe('startDiscovery', () => {
  let d: DiscoveryHandle;
  const api = apiSide();

  afterAll(async () => {
    await d?.stop();
  });

  it('sends a full report, then deltas that keep the API copy equal to the snapshot', async () => {
    d = startDiscovery({
      intervalMs: 100,
      fullScanEveryMs: 1000,
      k8s: { url: fx.url, token: TOKEN, nodeName: 'node-1', minBackoffMs: 20, maxBackoffMs: 100 },
      onReport: api.receive,
    });
    expect(api.state.frames).toBeGreaterThanOrEqual(1);
    const first = api.state.report!;
    expect(first.host.machineId).not.toBe('');
    expect(first.processes.find((p) => p.pid === process.pid)?.cmdline).toContain('vitest');

    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', 'zs-discovery-e2e'], {
      env: { PATH: process.env.PATH, OTEL_SERVICE_NAME: 'e2e', SECRET_TOKEN: 's' },
    });
    await once(child, 'spawn');
    await until(() => api.state.report!.processes.some((p) => p.pid === child.pid), 'child in a delta');
    const seen = api.state.report!.processes.find((p) => p.pid === child.pid)!;
    expect(seen.env).toEqual({ OTEL_SERVICE_NAME: 'e2e' });
    expect(d.lookupPid(child.pid!)).toEqual({
      pid: child.pid,
      startTime: seen.startTime,
      containerId: '',
      podUid: '',
    });

    child.kill('SIGKILL');
    await once(child, 'exit');
    await until(() => !api.state.report!.processes.some((p) => p.pid === child.pid), 'child removed');

    await until(
      () => (api.state.report!.k8s?.pods.length ?? 0) === 3 && api.state.report!.k8s!.services.length === 3,
      'k8s relisted state',
    );
    const web = api.state.report!.k8s!.pods.find((p) => p.name === 'web-7d4f8c9b96-abcde')!;
    expect(web.workload).toMatchObject({ kind: 'Deployment', name: 'web' });
    expect(api.state.report!.k8s!.cluster.uid).toBe('d1c0ffee-1b2c-4d3e-8f90-a1b2c3d4e5f6');

    // Let the snapshot settle, then the API's copy equals the agent's (up to item order).
    const norm = (r: ResourceReport) => ({
      ...r,
      time: 0,
      processes: [...r.processes].sort((a, b) => a.pid - b.pid),
    });
    await until(
      () => JSON.stringify(norm(api.state.report!)) === JSON.stringify(norm(d.snapshot())),
      'copies converge',
    );
    expect(d.stats().deltas).toBeGreaterThan(0);
  });

  it('resync sends a full report that restarts the sequence', () => {
    const before = api.state.frames;
    d.resync();
    expect(api.state.frames).toBe(before + 1);
    expect(api.state.seq).toBe(0);
    expect(api.state.report).toEqual(d.snapshot());
  });

  it('lookupPid answers for a pid the scanner has not seen yet, and not for a dead pid', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    await once(child, 'spawn');
    const r = d.lookupPid(child.pid!);
    expect(r).toMatchObject({ pid: child.pid, containerId: '', podUid: '' });
    child.kill('SIGKILL');
    await once(child, 'exit');
    await new Promise((r) => setTimeout(r, 300));
    expect(d.lookupPid(child.pid!)).toBeUndefined();
  });
});
