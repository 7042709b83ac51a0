import { describe, expect, it } from 'vitest';
import { canonicalJson, findInSnapshot, freezeParams, viewQueries } from './snapshot';

describe('snapshot helpers', () => {
  it('canonical JSON sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[{"y":2,"z":1}]},"b":1}',
    );
  });

  it('collects successful tRPC queries of the view, pages of infinite ones, never admin ones', () => {
    const q = viewQueries([
      {
        queryKey: [['requestLog', 'list'], { input: { start: 1, end: 2 }, type: 'query' }],
        status: 'success',
      },
      { queryKey: [['requestLog', 'get'], { input: { id: 1 }, type: 'query' }], status: 'pending' },
      { queryKey: [['users', 'me'], { type: 'query' }], status: 'success' },
      {
        queryKey: [['trace', 'search'], { input: { q: 'x' }, type: 'infinite' }],
        status: 'success',
        data: { pages: [1, 2], pageParams: [null, 'c2'] },
      },
      { queryKey: ['not-trpc'], status: 'success' },
    ]);
    expect(q).toEqual([
      { path: 'requestLog.list', input: { start: 1, end: 2 } },
      { path: 'trace.search', input: { q: 'x', cursor: null, direction: 'forward' } },
      { path: 'trace.search', input: { q: 'x', cursor: 'c2', direction: 'forward' } },
    ]);
  });

  it('freezes a relative range to the start/end the view queried, without refresh', () => {
    const p = new URLSearchParams('range=1h&refresh=5s&status=server_error&snap=old');
    const frozen = freezeParams(
      p,
      { kind: 'relative', last: '1h' },
      [{ path: 'a', input: { start: 100, end: 3701 } }],
      0,
    );
    expect(frozen).toEqual({ status: 'server_error', from: '100', to: '3701' });
    const abs = freezeParams(new URLSearchParams('from=5&to=9'), { kind: 'absolute', from: 5, to: 9 }, [], 0);
    expect(abs).toEqual({ from: '5', to: '9' });
  });

  it('finds answers by exact input, or by path when unambiguous', () => {
    const entries = [
      { path: 'a.list', input: canonicalJson({ start: 1, end: 2 }), data: 'one' },
      { path: 'b.get', input: canonicalJson({ id: 1 }), data: 'b1' },
      { path: 'b.get', input: canonicalJson({ id: 2 }), data: 'b2' },
    ];
    expect(findInSnapshot(entries, 'a.list', { end: 2, start: 1 })).toEqual({ data: 'one' });
    expect(findInSnapshot(entries, 'a.list', { start: 0, end: 2 })).toEqual({ data: 'one' });
    expect(findInSnapshot(entries, 'b.get', { id: 2 })).toEqual({ data: 'b2' });
    expect(findInSnapshot(entries, 'b.get', { id: 3 })).toBeUndefined();
    expect(findInSnapshot(entries, 'c.x', {})).toBeUndefined();
  });
});
