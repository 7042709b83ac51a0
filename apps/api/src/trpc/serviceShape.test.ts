import { describe, expect, it } from 'vitest';
import type { NamedRed } from './mapShape';
import { redSeriesOf, withCallers } from './serviceShape';

const red = (name: string, requests: number): NamedRed => ({
  name,
  requests,
  errors: 0,
  timeouts: 0,
  latencySum: 0,
  latencyCount: 0,
  latencyMax: 0,
  p99: 0,
});

describe('service rows', () => {
  it('adds services that only call out, after the ones that serve', () => {
    const list = withCallers([red('api', 50), red('db', 80)], [red('web', 70), red('api', 30)]);
    expect(list.map((s) => [s.name, s.requests, s.callsOut])).toEqual([
      ['db', 80, 0],
      ['api', 50, 30],
      ['web', 0, 70],
    ]);
  });

  it('keeps the busiest observation point per step, in time order', () => {
    const row = (t: number, op: string, req: number) => ({
      c0: t,
      c1: op,
      c2: req,
      c3: 0,
      c4: 0,
      c5: 0,
      c6: 0,
      c7: 0,
      c8: 0,
    });
    const s = redSeriesOf([row(120, 's-p', 5), row(60, 'c-p', 2), row(60, 's-p', 3)]);
    expect(s.map((p) => [p.t, p.requests])).toEqual([
      [60, 3],
      [120, 5],
    ]);
  });
});
