/** The run loop's profiling switch on the real profiler (root: perf_event eBPF). */
import { describe, expect, it } from 'vitest';
import { ProfilingSwitch } from './profiling';

const isRoot = process.getuid?.() === 0;

describe('ProfilingSwitch', () => {
  it('never starts when eBPF is not allowed (--no-ebpf)', () => {
    const sw = new ProfilingSwitch({ allowed: false, onRows: () => {}, log: () => {} });
    sw.apply({ profiling: true });
    expect(sw.active).toBe(false);
    expect(sw.describe()).toBe('profiling=off');
  });

  it.skipIf(!isRoot)('follows the config: on, off again, and on without a restart', () => {
    const logs: string[] = [];
    const sw = new ProfilingSwitch({ allowed: true, onRows: () => {}, log: (l) => logs.push(l) });
    try {
      sw.apply({ profiling: true });
      expect(sw.active).toBe(true);
      expect(sw.describe()).toMatch(/^profiling=on /);
      sw.apply({ profiling: true }); // idempotent
      sw.apply({ profiling: false });
      expect(sw.active).toBe(false);
      expect(logs).toContain('profiling: off (config)');
      sw.apply({ profiling: true });
      expect(sw.active).toBe(true);
    } finally {
      sw.stop();
    }
    expect(sw.active).toBe(false);
  });
});
