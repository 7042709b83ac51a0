import { describe, expect, it } from 'vitest';
import { DROPPED_STACK, FoldedAggregator, foldStack, parseFolded } from './folded';

describe('folded stacks', () => {
  it('folds innermost-first user and kernel frames root first, user then kernel', () => {
    expect(foldStack(['burn', 'outer', 'main'], ['do_syscall_64_[k]', 'entry_SYSCALL_64_[k]'])).toBe(
      'main;outer;burn;entry_SYSCALL_64_[k];do_syscall_64_[k]',
    );
    // ';' separates frames, so a name containing it must not split the stack
    expect(foldStack(['a;b'], [])).toBe('a:b');
    expect(foldStack([], [])).toBe('[unknown]');
  });

  it('aggregates per process and event type', () => {
    const agg = new FoldedAggregator();
    agg.add(1, 'on-cpu', 'main;a', 3);
    agg.add(1, 'on-cpu', 'main;a', 2);
    agg.add(1, 'off-cpu', 'main;a', 1_000_000);
    agg.add(2, 'on-cpu', 'main;a', 1);
    expect(agg.flush()).toEqual([
      { tgid: 1, eventType: 'on-cpu', stack: 'main;a', value: 5 },
      { tgid: 1, eventType: 'off-cpu', stack: 'main;a', value: 1_000_000 },
      { tgid: 2, eventType: 'on-cpu', stack: 'main;a', value: 1 },
    ]);
    expect(agg.size).toBe(0);
  });

  it('stays bounded: past maxStacks new stacks count under [dropped], totals stay exact', () => {
    const agg = new FoldedAggregator(4);
    for (let i = 0; i < 100; i++) agg.add(7, 'on-cpu', `main;f${i}`, 1);
    const rows = agg.flush();
    expect(rows.length).toBe(5); // 4 stacks + one [dropped] row
    expect(rows.reduce((s, r) => s + r.value, 0)).toBe(100);
    expect(rows.find((r) => r.stack === DROPPED_STACK)?.value).toBe(96);
    expect(agg.dropped).toBe(96);
  });

  it('parses the folded text format, skipping junk lines', () => {
    expect(parseFolded('main;a 3\nmain;b 2\n\nbad line x\nno-count\nmain c 1')).toEqual([
      { stack: 'main;a', value: 3 },
      { stack: 'main;b', value: 2 },
      { stack: 'main c', value: 1 },
    ]);
  });
});
