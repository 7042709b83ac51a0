import { describe, expect, it } from 'vitest';
import { firstKind, parseResourcesView, resourceLinks, writeResourcesView } from './view-state';

describe('resources view state', () => {
  it('round-trips kind, search and selection and rejects junk', () => {
    const v = parseResourcesView(new URLSearchParams('kind=pod&q=k8s.label.app%3Dcart&sel=12'));
    expect(v).toEqual({ kind: 'pod', search: 'k8s.label.app=cart', selected: 12 });
    expect(parseResourcesView(writeResourcesView(v))).toEqual(v);
    expect(parseResourcesView(new URLSearchParams('kind=planet&sel=x'))).toEqual({
      kind: 'host',
      search: '',
      selected: undefined,
    });
  });

  it('opens the first kind that has resources unless the URL named one', () => {
    const counts = {
      host: 0,
      process: 0,
      container: 0,
      pod: 7,
      workload: 6,
      service: 6,
      namespace: 2,
      node: 1,
    };
    expect(firstKind('host', counts, false)).toBe('pod');
    expect(firstKind('host', counts, true)).toBe('host');
    expect(firstKind('service', counts, false)).toBe('service');
  });

  it('links a resource to the map grouped by its kind, keeping the time range', () => {
    const links = resourceLinks('pod', 'cart-1', new URLSearchParams('range=1h&kind=pod'));
    expect(links[0]).toEqual({ label: 'On the map', href: '/map?range=1h&group=instance&sel=cart-1' });
    expect(resourceLinks('service', 'cart', new URLSearchParams()).map((l) => l.label)).toEqual([
      'On the map',
      'Service page',
      'Requests',
      'CPU profile',
    ]);
    expect(resourceLinks('process', 'burn', new URLSearchParams('range=1h')).at(-1)).toEqual({
      label: 'CPU profile',
      href: '/profiles?range=1h&tag=gprocess%3Aburn',
    });
  });
});
