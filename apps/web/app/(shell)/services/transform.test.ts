import { describe, expect, it } from 'vitest';
import { serviceRows, totals } from './transform';
import { parseServicesView, writeServicesView } from './view-state';

const red = { requests: 0, errors: 0, timeouts: 0, latencySum: 0, latencyCount: 0, p99: 0 };

describe('service rows', () => {
  it('derives rate, error share, average and a health tone', () => {
    const [a, b, c, d] = serviceRows(
      [
        {
          ...red,
          name: 'cart',
          requests: 600,
          errors: 3,
          latencySum: 6_000_000,
          latencyCount: 600,
          p99: 50_000,
        },
        { ...red, name: 'checkout', requests: 100, errors: 20, timeouts: 5, p99: 40_000 },
        { ...red, name: 'catalog', requests: 100, p99: 300_000 },
        { ...red, name: 'idle', callsOut: 120 },
      ],
      60,
    );
    expect(a).toMatchObject({ rate: 10, errorRate: 0.005, avg: 10_000, health: 'ok' });
    expect(b).toMatchObject({ errorRate: 0.25, health: 'error' });
    expect(c!.health).toBe('warn');
    expect(d).toMatchObject({ health: 'idle', rate: 0, outRate: 2 });
    expect(
      totals([
        { ...red, requests: 2, p99: 5 },
        { ...red, requests: 3, p99: 9 },
      ]),
    ).toMatchObject({ requests: 5, p99: 9 });
  });
});

describe('services view state', () => {
  it('round-trips the open service and tab; the list has no tab', () => {
    const v = parseServicesView(new URLSearchParams('range=6h&svc=cart&tab=errors'));
    expect(v).toMatchObject({ service: 'cart', tab: 'errors' });
    expect(parseServicesView(writeServicesView(v))).toEqual(v);
    expect(writeServicesView({ ...v, service: undefined }).has('tab')).toBe(false);
    expect(parseServicesView(new URLSearchParams('tab=nope')).tab).toBe('endpoints');
  });
});
