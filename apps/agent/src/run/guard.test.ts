import { describe, expect, it } from 'vitest';
import { ResourceGuard } from './guard';

/** a clock and CPU meter driven by the test: `run(ms, share)` advances both */
function meters() {
  const m = { t: 0, cpu: 0, rss: 100 * 2 ** 20 };
  return {
    m,
    run(ms: number, share: number) {
      m.t += ms;
      m.cpu += ms * 1000 * share;
    },
    opts: { now: () => m.t, cpuUs: () => m.cpu, rss: () => m.rss, graceMs: 0 },
  };
}

describe('ResourceGuard', () => {
  it('pauses over the CPU budget for the cool-down, then resumes and counts it', () => {
    const { run, opts } = meters();
    const g = new ResourceGuard({ ...opts, maxCpu: 0.5, maxRss: 0, coolMs: 3000 });
    run(1000, 0.3);
    expect(g.check()).toBeUndefined();
    run(1000, 0.8);
    expect(g.check()).toEqual({ shed: true, reason: 'cpu 80% of a core > budget 50%', forMs: 3000 });
    run(1000, 0.1);
    expect(g.check()).toBeUndefined();
    run(1000, 0.1);
    expect(g.check()).toBeUndefined();
    run(1000, 0.1);
    expect(g.check()).toEqual({ shed: false });
    expect(g.sheds).toBe(1);
    expect(g.shedMs).toBe(3000);
  });

  it('doubles the cool-down when the budget is exceeded again right after a resume, and resets after a calm minute', () => {
    const { run, opts } = meters();
    const g = new ResourceGuard({ ...opts, maxCpu: 0.5, maxRss: 0, coolMs: 1000, maxCoolMs: 10_000 });
    run(1000, 0.9);
    expect(g.check()).toMatchObject({ shed: true, forMs: 1000 });
    run(1000, 0);
    expect(g.check()).toEqual({ shed: false });
    run(1000, 0.9);
    expect(g.check()).toMatchObject({ shed: true, forMs: 2000 });
    run(2000, 0);
    expect(g.check()).toEqual({ shed: false });
    run(1000, 0.9);
    expect(g.check()).toMatchObject({ shed: true, forMs: 4000 });
    run(4000, 0);
    expect(g.check()).toEqual({ shed: false });
    for (let i = 0; i < 11; i++) {
      run(1000, 0.1);
      expect(g.check()).toBeUndefined();
    }
    run(1000, 0.9);
    expect(g.check()).toMatchObject({ shed: true, forMs: 1000 });
  });

  it('pauses over the memory budget', () => {
    const { m, run, opts } = meters();
    const g = new ResourceGuard({ ...opts, maxCpu: 0, maxRss: 200 * 2 ** 20 });
    run(1000, 2);
    expect(g.check()).toBeUndefined(); // no CPU budget set
    m.rss = 300 * 2 ** 20;
    run(1000, 0);
    expect(g.check()).toMatchObject({ shed: true, reason: 'memory 300 MiB > budget 200 MiB' });
  });

  it('ignores the first seconds after start', () => {
    const { run, opts } = meters();
    const g = new ResourceGuard({ ...opts, graceMs: 3000, maxCpu: 0.5, maxRss: 0 });
    run(1000, 1.5);
    expect(g.check()).toBeUndefined();
    run(1000, 1.5);
    expect(g.check()).toBeUndefined();
    run(1000, 1.5);
    expect(g.check()).toMatchObject({ shed: true });
  });

  it('does nothing without budgets', () => {
    const { run, opts } = meters();
    const g = new ResourceGuard({ ...opts, maxCpu: 0, maxRss: 0 });
    run(1000, 4);
    expect(g.enabled).toBe(false);
    expect(g.check()).toBeUndefined();
  });
});
