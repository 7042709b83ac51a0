/**
 * Continuous profiling end to end (as root, real perf_event eBPF): the function a process
 * spins in dominates its flame graph read back through tRPC, tops its function table,
 * and comes out of the token-protected pprof export.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/auth/types';
import type { FlameTree } from '../src/profile/tree';
import { createCaller } from '../src/trpc/router';
import { ADMIN_TOKEN, type ProfiledApi, startProfiledApi } from './profile-helpers';

const isRoot = process.getuid?.() === 0;
const viewer: Principal = { kind: 'user', id: '1', name: 'v', role: 'viewer', scope: 'api' };

/** Largest share of the root that any node whose name matches takes. */
function dominance(t: FlameTree, name: RegExp): number {
  let best = 0;
  t.name.forEach((n, i) => {
    if (name.test(t.names[n]!)) best = Math.max(best, t.total[i]! / t.sum);
  });
  return best;
}

describe.skipIf(!isRoot)('profiling through the API', { timeout: 90_000 }, () => {
  let api: ProfiledApi;
  const caller = () => createCaller({ api: api.ctx, principal: viewer });

  beforeAll(async () => {
    api = await startProfiledApi();
  }, 90_000);
  afterAll(async () => {
    await api?.close();
  });

  it('stores folded stacks and finds the native function dominating its flame graph', async () => {
    expect(api.rows).toBeGreaterThan(0);
    const r = await caller().profile.flame({
      ...api.range,
      filters: [{ tag: 'process_id', value: String(api.pids.c) }],
    });
    expect(r.tree.sum).toBeGreaterThan(10); // up to ~400 at 99 Hz for 4 s, far less on a busy machine
    expect(dominance(r.tree, /^burn_cpu_zeroscope$/)).toBeGreaterThan(0.8);
    // root first: main -> outer_zeroscope -> burn_cpu_zeroscope
    const at = (name: string) => r.tree.name.findIndex((n) => r.tree.names[n] === name);
    expect(r.tree.depth[at('burn_cpu_zeroscope')]).toBe(r.tree.depth[at('outer_zeroscope')]! + 1);
  });

  it('stores rows with the int tag ids of the process the agent reported', async () => {
    const rows = await api.ctx.telemetry.query<Record<string, number>>(
      `SELECT max(gprocess_id_1) AS gp, max(host_id_1) AS host, max(auto_instance_id_1) AS inst,
              max(auto_service_type_1) AS svc_type
       FROM profile.in_process WHERE process_id = {pid:UInt32}`,
      { pid: api.pids.c },
    );
    expect(Number(rows[0]?.gp)).toBeGreaterThan(0);
    expect(Number(rows[0]?.host)).toBeGreaterThan(0);
    expect(Number(rows[0]?.inst)).toBeGreaterThan(0);
    expect(Number(rows[0]?.svc_type)).toBeGreaterThan(0);
  });

  it('finds the JS function of node --perf-basic-prof dominating its flame graph', async () => {
    const r = await caller().profile.flame({
      ...api.range,
      filters: [
        { tag: 'process_kname', value: 'node' },
        { tag: 'process_id', value: String(api.pids.js) },
      ],
    });
    expect(r.tree.sum).toBeGreaterThan(10);
    const top = r.tree.name.map((n, i) => `${r.tree.names[n]} ${r.tree.total[i]}`).slice(0, 12);
    expect(dominance(r.tree, /spinZeroscope/), top.join('\n')).toBeGreaterThan(0.6);
  });

  it('finds where a sleeping process blocks in its off-CPU flame graph', async () => {
    const r = await caller().profile.flame({
      ...api.range,
      eventType: 'off-cpu',
      filters: [{ tag: 'process_id', value: String(api.pids.sleepy) }],
    });
    expect(r.tree.sum).toBeGreaterThan(1e9); // nanoseconds blocked
    expect(dominance(r.tree, /^sleepy_zeroscope$/)).toBeGreaterThan(0.8);
  });

  it('ranks the spinning function first by self time', async () => {
    const r = await caller().profile.top({
      ...api.range,
      filters: [{ tag: 'process_id', value: String(api.pids.c) }],
    });
    expect(r.functions[0]?.name).toBe('burn_cpu_zeroscope');
    expect(r.functions[0]!.self / r.sum).toBeGreaterThan(0.8);
  });

  it('lists the profiled processes and diffs two ranges', async () => {
    const t = await caller().profile.targets(api.range);
    expect(t.processes.map((p) => p.pid)).toEqual(expect.arrayContaining([api.pids.c, api.pids.js]));
    const d = await caller().profile.diff({
      ...api.range,
      baseline: { start: api.range.start - 3600, end: api.range.start },
      filters: [{ tag: 'process_id', value: String(api.pids.c) }],
    });
    expect(d.tree.baseSum).toBe(0);
    const top = await caller().profile.top({
      ...api.range,
      baseline: { start: api.range.start - 3600, end: api.range.start },
      filters: [{ tag: 'process_id', value: String(api.pids.c) }],
    });
    expect(top).toMatchObject({ baseSum: 0 });
    expect(top.functions[0]).toMatchObject({ name: 'burn_cpu_zeroscope', baseSelf: 0 });
    expect(d.tree.sum).toBeGreaterThan(10);
  });

  it('rejects an unknown filter tag as the caller’s error', async () => {
    await expect(
      caller().profile.flame({ ...api.range, filters: [{ tag: 'no_such_tag', value: 'x' }] }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('answers the query language over the profile table (POST /v1/query)', async () => {
    const res = await fetch(`${api.base}/v1/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        sql: `SELECT process_kname, event_type, Sum(value) AS v FROM profile WHERE process_id = ${api.pids.c} GROUP BY process_kname, event_type`,
        ...api.range,
      }),
    });
    const body = (await res.json()) as { columns: string[]; values: [string, string, number][] };
    expect(res.status).toBe(200);
    expect(body.columns).toEqual(['process_kname', 'event_type', 'v']);
    const onCpu = body.values.find((r) => r[1] === 'on-cpu');
    expect(onCpu?.[0]).toBe('burn');
    expect(Number(onCpu?.[2])).toBeGreaterThan(10);
  });

  it('exports pprof behind a token', async () => {
    const qs = `start=${api.range.start}&end=${api.range.end}&tag=process_id:${api.pids.c}`;
    const anon = await fetch(`${api.base}/v1/profile/pprof?${qs}`);
    expect(anon.status).toBe(401);
    const res = await fetch(`${api.base}/v1/profile/pprof?${qs}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    const pb = gunzipSync(Buffer.from(await res.arrayBuffer()));
    expect(pb.includes(Buffer.from('burn_cpu_zeroscope'))).toBe(true);
    const bad = await fetch(`${api.base}/v1/profile/pprof?start=10&end=5`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(bad.status).toBe(400);
  });
});
