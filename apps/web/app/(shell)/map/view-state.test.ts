import { describe, expect, it } from 'vitest';
import { mapQueryInput, nodeLinks, parseMapView, writeMapView } from './view-state';

describe('map view state', () => {
  it('round-trips group, filters, selection, focus, frame and diff through the URL', () => {
    const p = new URLSearchParams(
      'range=1h&group=k8s.label.app&proto=mysql,nope&q=ca&focus=cart&sel=cart&t=1700000040',
    );
    const v = parseMapView(p);
    expect(v).toMatchObject({
      group: 'k8s.label.app',
      protocols: ['mysql'],
      search: 'ca',
      focus: 'cart',
      selected: 'cart',
      frame: 1_700_000_040,
      diff: undefined,
    });
    expect(parseMapView(writeMapView(v))).toEqual(v);
    const d = parseMapView(new URLSearchParams('a=100&b=200'));
    expect(d.diff).toEqual({ a: 100, b: 200 });
    expect(parseMapView(new URLSearchParams('group=a`b')).group).toBe('service');
    // the unknown-end node is the empty name and survives the URL
    expect(parseMapView(writeMapView({ ...v, selected: '' })).selected).toBe('');
  });

  it('asks the API for the grouping and protocols of the view', () => {
    const v = parseMapView(new URLSearchParams('group=namespace&proto=http1'));
    expect(mapQueryInput(v, 10, 20)).toEqual({
      start: 10,
      end: 20,
      groupBy: 'namespace',
      filters: { l7_protocol: ['http1'] },
    });
  });

  it('links a node to its requests, flows and service page, keeping only the time range', () => {
    const carry = new URLSearchParams('range=1h&sel=x&group=service');
    const l = nodeLinks('cart', 'service', carry);
    expect(l.requests).toBe('/requests?range=1h&q=cart');
    expect(l.flows).toBe('/network?range=1h&node=cart');
    expect(l.service).toBe('/services?range=1h&svc=cart');
    expect(nodeLinks('10.0.0.1', 'ip', carry).flows).toBe('/network?range=1h&ip=10.0.0.1');
    expect(nodeLinks('shop', 'namespace', carry)).toMatchObject({
      flows: '/network?range=1h&group=namespace&node=shop',
      service: undefined,
    });
  });
});
