import { describe, expect, it } from 'vitest';
import { buildModel, type EdgeInput, healthOf, neighbourhood, neighbours, ZERO } from './model';
import { applyFrame, diffFrames, diffRows, frameIndex, type Timeline } from './timeline';

const e = (source: string, target: string, requests: number, errors = 0): EdgeInput => ({
  ...ZERO,
  source,
  target,
  requests,
  errors,
});

// whole range: web -> api -> db, api -> cache, and a late edge cron -> api
const base = buildModel(
  [e('web', 'api', 100, 5), e('api', 'db', 80), e('api', 'cache', 40), e('cron', 'api', 3)],
  [],
  600,
);
const tl: Timeline = {
  step: 60,
  times: [0, 60, 120],
  edges: [
    { source: 'web', target: 'api' },
    { source: 'api', target: 'db' },
    { source: 'api', target: 'cache' },
    { source: 'cron', target: 'api' },
  ],
  frames: [
    [
      [0, 50, 0, 0, 0, 0, 0, 0],
      [1, 40, 0, 0, 0, 0, 0, 0],
      [2, 40, 0, 0, 0, 0, 0, 0],
    ],
    [],
    [
      [0, 50, 5, 0, 0, 0, 0, 0],
      [1, 40, 0, 0, 0, 0, 0, 0],
      [3, 3, 0, 0, 0, 0, 0, 0],
    ],
  ],
};

describe('map model', () => {
  it('sums what a node served from its incoming edges and what it sent', () => {
    const api = base.nodes[base.index.get('api')!]!;
    expect(api.served.requests).toBe(103);
    expect(api.served.errors).toBe(5);
    expect(api.sent).toBe(120);
    // web only calls out: its health is the calls it made
    const web = base.nodes[base.index.get('web')!]!;
    expect(healthOf(web)).toMatchObject({ requests: 100, errors: 5 });
    expect(healthOf(api)).toBe(api.served);
  });

  it('finds upstream and downstream of a node', () => {
    const api = base.index.get('api')!;
    const n = neighbours(base, api);
    expect(n.upstream.map((x) => base.nodes[x.source]!.id)).toEqual(['web', 'cron']);
    expect(n.downstream.map((x) => base.nodes[x.target]!.id)).toEqual(['db', 'cache']);
    const db = base.index.get('db')!;
    const around = [...neighbourhood(base, db)].map((i) => base.nodes[i]!.id).sort();
    // db's upstream chain: api, then web and cron; cache is a sibling, not on db's paths
    expect(around).toEqual(['api', 'cron', 'db', 'web']);
  });
});

describe('time slider and diff', () => {
  it('finds the frame of a moment, clamping at the ends', () => {
    expect(frameIndex(tl, 61)).toBe(1);
    expect(frameIndex(tl, -5)).toBe(0);
    expect(frameIndex(tl, 9999)).toBe(2);
  });

  it('switches edges and nodes on and off per frame', () => {
    const f1 = applyFrame(base, tl, 1);
    expect(f1.edges.filter((x) => x.active)).toHaveLength(0);
    expect(f1.nodes.filter((x) => x.active)).toHaveLength(0);
    const f2 = applyFrame(base, tl, 2);
    expect(f2.edges.filter((x) => x.active)).toHaveLength(3);
    expect(f2.nodes[f2.index.get('cache')!]!.active).toBe(false);
    expect(f2.seconds).toBe(60);
  });

  it('diffs two frames: added, removed and changed edges with their deltas', () => {
    const { model, summary } = diffFrames(base, tl, 0, 2);
    expect(summary).toEqual({ added: 1, removed: 1, changed: 1 });
    const rows = diffRows(model);
    expect(rows.map((r) => `${r.state} ${r.source}>${r.target}`)).toEqual([
      'added cron>api',
      'removed api>cache',
      'changed web>api',
    ]);
    expect(rows[2]!.before.errors).toBe(0);
    expect(rows[2]!.after.errors).toBe(5);
  });
});
