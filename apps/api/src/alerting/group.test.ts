import { describe, expect, it } from 'vitest';
import { planNotifications } from './group';
import type { Rule, SeriesState, Transition } from './types';

const rule: Rule = {
  id: 7,
  name: 'errors',
  query:
    'SELECT auto_service, auto_instance, error_ratio FROM application.1m GROUP BY auto_service, auto_instance',
  condition: { op: '>', threshold: 0.1, noData: 'ok' },
  forSeconds: 0,
  windowSeconds: 60,
  repeatSeconds: 600,
  severity: 'critical',
  labels: {},
  annotations: { summary: 'errors' },
  groupBy: ['auto_service'],
  channelIds: [1],
  enabled: true,
};

const firing = (svc: string, inst: string, notifiedAt?: number): SeriesState => ({
  key: `${svc}/${inst}`,
  labels: { auto_service: svc, auto_instance: inst },
  status: 'firing',
  since: 0,
  value: 0.5,
  noData: false,
  firedAt: 0,
  notifiedAt,
});

const plan = (states: SeriesState[], transitions: Transition[] = [], now = 1000, silenced = () => false) =>
  planNotifications({ rule, states: new Map(states.map((s) => [s.key, s])), transitions, silenced, now });

describe('planNotifications', () => {
  it('groups new firing series by the groupBy labels', () => {
    const p = plan([firing('cart', 'a'), firing('cart', 'b'), firing('db', 'c')]);
    expect(p.notifications.map((n) => [n.groupLabels, n.alerts.length, n.status])).toEqual([
      [{ auto_service: 'cart' }, 2, 'firing'],
      [{ auto_service: 'db' }, 1, 'firing'],
    ]);
    expect([...p.notified.values()].flat().sort()).toEqual(['cart/a', 'cart/b', 'db/c']);
  });

  it('does not repeat already notified series before repeatSeconds', () => {
    expect(plan([firing('cart', 'a', 900)], [], 1000).notifications).toEqual([]);
    expect(plan([firing('cart', 'a', 0)], [], 600_000).notifications).toHaveLength(1);
  });

  it('sends a resolve once the last series of a group resolves', () => {
    const t: Transition = {
      key: 'cart/a',
      labels: { auto_service: 'cart', auto_instance: 'a' },
      type: 'resolved',
      value: 0,
    };
    const p = plan([], [t]);
    expect(p.notifications).toHaveLength(1);
    expect(p.notifications[0]).toMatchObject({ status: 'resolved', alerts: [{ status: 'resolved' }] });
  });

  it('leaves silenced series out', () => {
    const p = plan(
      [firing('cart', 'a'), firing('db', 'c')],
      [],
      1000,
      ((l: Record<string, string>) => l.auto_service === 'cart') as () => boolean,
    );
    expect(p.notifications.map((n) => n.groupLabels.auto_service)).toEqual(['db']);
  });
});
