/** Profile queries: query-language text -> SQL over profile.in_process with bound values. */
import { describe, expect, it } from 'vitest';
import { compile, flameInput, processesText, stacksText } from './queries';

describe('profile queries', () => {
  it('reads folded stacks of a tag filter and range with every value bound', () => {
    const text = stacksText('off-cpu', [
      { tag: 'pod', value: "cart'; DROP TABLE x" },
      { tag: 'process_id', value: '4242' },
    ]);
    const c = compile(text, 1_000, 2_000);
    expect(c.columns).toEqual(['stack', 'v']);
    expect(c.sql).toContain('FROM profile.in_process WHERE time >= fromUnixTimestamp64Micro(');
    expect(c.sql).toContain('GROUP BY k0 ORDER BY m1 DESC');
    expect(c.sql).not.toContain('DROP TABLE');
    expect(Object.values(c.params)).toEqual(
      expect.arrayContaining(['off-cpu', "cart'; DROP TABLE x", 4242, 1_000_000_000, 2_000_000_000]),
    );
  });

  it('lists processes with their service decoded from the tag ids', () => {
    const c = compile(processesText('on-cpu'), 0, 60);
    expect(c.columns).toEqual(['p', 'pid', 's', 'v']);
    expect(c.sql).toContain('auto_service_id_1');
  });

  it('rejects unknown tags at compile time and bad inputs at the edge', () => {
    expect(() => compile(stacksText('on-cpu', [{ tag: 'nope', value: 'x' }]), 0, 60)).toThrow(/nope/);
    expect(flameInput.safeParse({ start: 10, end: 5 }).success).toBe(false);
    expect(flameInput.safeParse({ start: 0, end: 5, eventType: 'gpu' }).success).toBe(false);
    expect(flameInput.safeParse({ start: 0, end: 5, filters: [{ tag: 'a b', value: '' }] }).success).toBe(
      false,
    );
    expect(flameInput.parse({ start: 0, end: 5 })).toMatchObject({
      eventType: 'on-cpu',
      filters: [],
      maxNodes: 50_000,
    });
  });
});
