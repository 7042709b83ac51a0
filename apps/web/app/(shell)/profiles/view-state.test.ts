import { describe, expect, it } from 'vitest';
import { shareDelta } from './FunctionTable';
import { profileHref } from './link';
import { parseTagFilter } from './TagFilters';
import { filtersOf, parseView, previousRange, writeView } from './view-state';

describe('profiles view state', () => {
  it('round-trips through the URL', () => {
    const p = new URLSearchParams(
      'from=1000&to=2000&svc=cart&pid=42&event=off-cpu&mode=icicle&q=malloc&focus=main%3Bwork&base_from=0&base_to=1000&tag=pod:cart-1',
    );
    const v = parseView(p);
    expect(v).toMatchObject({
      range: { kind: 'absolute', from: 1000, to: 2000 },
      service: 'cart',
      pid: 42,
      eventType: 'off-cpu',
      mode: 'icicle',
      search: 'malloc',
      focus: 'main;work',
      baseline: { start: 0, end: 1000 },
      tags: [{ tag: 'pod', value: 'cart-1' }],
    });
    expect(parseView(writeView(v))).toEqual(v);
    expect(filtersOf(v)).toEqual([
      { tag: 'auto_service', value: 'cart' },
      { tag: 'process_id', value: '42' },
      { tag: 'pod', value: 'cart-1' },
    ]);
  });

  it('falls back to defaults on junk', () => {
    const v = parseView(
      new URLSearchParams('event=x&mode=y&pid=-1&base_from=5&base_to=1&tag=bad%20tag:1&tag=nocolon'),
    );
    expect(v).toMatchObject({
      eventType: 'on-cpu',
      mode: 'flame',
      pid: undefined,
      baseline: undefined,
      tags: [],
    });
    expect(previousRange(100, 160)).toEqual({ start: 40, end: 100 });
  });

  it('links in from a trace window, widened to whole profile intervals', () => {
    const href = profileHref({ service: 'cart', from: 1003, to: 1004.5, pid: 7 });
    expect(href).toBe('/profiles?from=1000&to=1010&svc=cart&pid=7');
    const v = parseView(new URLSearchParams(href.split('?')[1]));
    expect(v.range).toEqual({ kind: 'absolute', from: 1000, to: 1010 });
    expect(profileHref({})).toBe('/profiles');
  });

  it('reads a typed tag filter', () => {
    expect(parseTagFilter(' pod = cart-1 ')).toEqual({ tag: 'pod', value: 'cart-1' });
    expect(parseTagFilter('k8s.label.app:shop')).toEqual({ tag: 'k8s.label.app', value: 'shop' });
    expect(parseTagFilter('no value=')).toBeUndefined();
    expect(parseTagFilter('bad tag=x')).toBeUndefined();
  });

  it("measures a function's share change in percentage points", () => {
    expect(shareDelta(50, 100, 10, 100)).toBeCloseTo(40);
    expect(shareDelta(0, 100, 5, 50)).toBeCloseTo(-10);
    expect(shareDelta(3, 0, 0, 0)).toBe(0);
  });
});
