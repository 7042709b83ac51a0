/**
 * The evaluator in-process against real stores (SQLite + chDB, request logs ingested through
 * the agent link by startTestApi), driven tick by tick: grouping, deduplication and repeat,
 * silences and weekly maintenance windows, no-data alerting, failed deliveries retried,
 * query errors reported once, and a second instance kept out by the lease.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AlertEvaluator } from '../src/alerting/evaluator';
import { alertHistory } from '../src/alerting/events';
import { createRule, createSilence, exportYaml, importYaml, saveChannel } from '../src/alerting/service';
import type { RuleSpec } from '../src/alerting/types';
import type { Principal } from '../src/auth/types';
import { DEFAULT_LIMITS } from '../src/query/limits';
import { createCaller } from '../src/trpc/router';
import { startWebhookReceiver } from './alert-helpers';
import { cluster, startTestApi, type TestApi } from './query-helpers';

const who: Principal = { kind: 'user', id: '1', name: 'ana', role: 'editor', scope: 'api' };
const BY_POD = 'SELECT auto_service_1, pod_1, error_ratio FROM l7_flow_log GROUP BY auto_service_1, pod_1';

describe('alert evaluator', () => {
  let api: TestApi;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let ev: AlertEvaluator;
  let channelId: number;
  let start: number;

  const rule = (over: Partial<RuleSpec>): RuleSpec => ({
    name: `rule ${Math.random().toString(36).slice(2)}`,
    query: BY_POD,
    condition: { op: '>', threshold: 0.05, noData: 'ok' },
    forSeconds: 0,
    windowSeconds: 3600,
    repeatSeconds: 600,
    severity: 'warning',
    labels: {},
    annotations: {},
    groupBy: ['auto_service_1'],
    channelIds: [channelId],
    enabled: true,
    ...over,
  });
  const events = async (ruleId: number) =>
    (
      await alertHistory(api.ctx.telemetry, {
        start: start / 1000 - 10,
        end: Date.now() / 1000 + 3600,
        ruleId,
        limit: 1000,
      })
    )
      .map((e) => `${e.type}:${e.labels.auto_service_1 ?? e.labels.server_port ?? '-'}`)
      .sort();

  beforeAll(async () => {
    api = await startTestApi(cluster(400), DEFAULT_LIMITS);
    hook = await startWebhookReceiver();
    channelId = (
      await saveChannel(api.ctx.resources.db, who, {
        name: 'hook',
        kind: 'webhook',
        config: { url: hook.url },
        enabled: true,
      })
    ).id;
    ev = new AlertEvaluator(api.ctx.resources.db, api.ctx.telemetry, {
      intervalMs: 200,
      owner: 'one',
      log: () => {},
    });
    start = Date.now();
  });
  afterAll(async () => {
    await ev?.stop();
    await hook?.close();
    await api?.close();
  });
  beforeEach(async () => {
    await api.ctx.resources.db.alertRule.updateMany({ data: { enabled: false } });
    await api.ctx.resources.db.silence.updateMany({ data: { endsAt: new Date(0) } });
    hook.hooks.length = 0;
  });

  it('groups series by label, deduplicates, repeats, and leaves silenced series out', async () => {
    const r = await createRule(api.ctx.resources.db, who, rule({}));
    await createSilence(api.ctx.resources.db, who, {
      matchers: [{ name: 'auto_service_1', op: '=', value: 'db' }],
      startsAt: Date.now() - 1000,
      endsAt: Date.now() + 3_600_000,
      kind: 'silence',
    });
    const now = Date.now();
    expect(await ev.tick(now)).toBe(true);
    // cart-5c1 fails 20%, db-0 10% (silenced), cart-5c2 never
    expect(hook.hooks).toHaveLength(1);
    const body = hook.hooks[0]!.body as {
      groupLabels: Record<string, string>;
      alerts: { labels: Record<string, string> }[];
    };
    expect(body.groupLabels).toEqual({ auto_service_1: 'cart' });
    expect(body.alerts.map((a) => a.labels.pod_1)).toEqual(['cart-5c1']);

    await ev.tick(now + 1000);
    expect(hook.hooks).toHaveLength(1); // still firing, already notified
    await ev.tick(now + 601_000);
    expect(hook.hooks).toHaveLength(2); // repeatSeconds passed: the same group again, still firing
    expect(hook.hooks[1]!.body).toMatchObject({ status: 'firing', groupLabels: { auto_service_1: 'cart' } });

    expect(await events(r.id)).toEqual(
      expect.arrayContaining([
        'firing:cart',
        'firing:db',
        'pending:cart',
        'pending:db',
        'silenced:db',
        'notified:cart',
      ]),
    );
    expect(await events(r.id)).not.toContain('notified:db');
    const onlySilenced = await alertHistory(api.ctx.telemetry, {
      start: start / 1000 - 10,
      end: Date.now() / 1000 + 3600,
      ruleId: r.id,
      types: ['silenced'],
      limit: 100,
    });
    expect(onlySilenced.map((e) => `${e.type}:${e.labels.auto_service_1}`)).toEqual(['silenced:db']);
  });

  it('mutes everything matching during a weekly maintenance window', async () => {
    const r = await createRule(api.ctx.resources.db, who, rule({}));
    const d = new Date();
    const startMin = Math.max(0, d.getUTCHours() * 60 + d.getUTCMinutes() - 5);
    await createSilence(api.ctx.resources.db, who, {
      matchers: [{ name: 'auto_service_1', op: '=~', value: '.*' }],
      startsAt: Date.now() - 86_400_000,
      endsAt: Date.now() + 86_400_000,
      kind: 'maintenance',
      schedule: {
        days: [d.getUTCDay()],
        start: `${String(Math.floor(startMin / 60)).padStart(2, '0')}:${String(startMin % 60).padStart(2, '0')}`,
        minutes: 30,
      },
    });
    await ev.tick(Date.now());
    expect(hook.hooks).toHaveLength(0);
    expect(await events(r.id)).toEqual(expect.arrayContaining(['silenced:cart', 'silenced:db']));
  });

  it('alerts on no data, and reports a failing query once', async () => {
    const r = await createRule(
      api.ctx.resources.db,
      who,
      rule({
        query: 'SELECT server_port, Count(row) FROM l7_flow_log WHERE server_port = 1 GROUP BY server_port',
        condition: { op: '<', threshold: 1, noData: 'alerting' },
        groupBy: [],
      }),
    );
    await ev.tick(Date.now());
    expect(hook.hooks).toHaveLength(1);
    expect(hook.hooks[0]!.body).toMatchObject({ status: 'firing', alerts: [{ value: null }] });
    expect(await events(r.id)).toEqual(expect.arrayContaining(['nodata:-', 'firing:-']));

    // a rule row edited behind the API's back into a query that cannot run
    const bad = await createRule(api.ctx.resources.db, who, rule({}));
    await api.ctx.resources.db.alertRule.update({
      where: { id: bad.id },
      data: { query: 'SELECT nope FROM l7_flow_log' },
    });
    await ev.tick(Date.now());
    await ev.tick(Date.now());
    expect((await events(bad.id)).filter((e) => e.startsWith('error'))).toHaveLength(1);
    // every instance sees the error on the rule (a state row), until the query works again
    const errorRow = await api.ctx.resources.db.alertState.findMany({ where: { ruleId: bad.id } });
    expect(errorRow).toEqual([
      expect.objectContaining({ state: 'error', labels: { message: expect.stringMatching(/nope/) } }),
    ]);
    await api.ctx.resources.db.alertRule.update({ where: { id: bad.id }, data: { query: BY_POD } });
    await ev.tick(Date.now());
    expect(await api.ctx.resources.db.alertState.count({ where: { ruleId: bad.id, state: 'error' } })).toBe(
      0,
    );
  });

  it('sends nothing through a paused channel', async () => {
    const caller = createCaller({ api: api.ctx, principal: who });
    await caller.alerts.setChannelEnabled({ id: channelId, enabled: false });
    try {
      await createRule(api.ctx.resources.db, who, rule({}));
      await ev.tick(Date.now());
      expect(hook.hooks).toHaveLength(0);
      expect((await caller.alerts.listChannels()).find((c) => c.id === channelId)?.enabled).toBe(false);
    } finally {
      await caller.alerts.setChannelEnabled({ id: channelId, enabled: true });
    }
  });

  it('imports YAML all-or-nothing, replacing rules by name, and exports what it imported', async () => {
    const db = api.ctx.resources.db;
    const yaml = `rules:
  - name: imported errors
    query: ${BY_POD}
    condition: {op: ">", threshold: 0.5}
    channels: [hook]
    labels: {team: shop}
`;
    expect(await importYaml(db, who, yaml)).toEqual({ created: 1, updated: 0 });
    expect(await importYaml(db, who, yaml.replace('0.5', '0.7'))).toEqual({ created: 0, updated: 1 });
    const row = await db.alertRule.findUnique({ where: { name: 'imported errors' } });
    expect(row).toMatchObject({
      condition: { op: '>', threshold: 0.7, noData: 'ok' },
      channelIds: [channelId],
    });
    const bad = `${yaml}  - name: broken\n    query: SELECT nope FROM l7_flow_log\n    condition: {op: ">", threshold: 1}\n`;
    await expect(importYaml(db, who, bad)).rejects.toThrow(/broken: query: .*nope/);
    expect(await db.alertRule.count({ where: { name: 'broken' } })).toBe(0);
    const out = await exportYaml(db);
    expect(out).toContain('name: imported errors');
    expect(out).toContain('- hook');
    const audit = await db.auditLog.findMany({ where: { action: 'alert.rule.import' } });
    expect(audit.map((a) => a.detail)).toEqual([
      { created: 1, updated: 0 },
      { created: 0, updated: 1 },
    ]);
  });

  it('retries a delivery that failed, and keeps a second instance out', async () => {
    const dead = await saveChannel(api.ctx.resources.db, who, {
      name: 'dead',
      kind: 'webhook',
      config: { url: 'http://127.0.0.1:9/hook' },
      enabled: true,
    });
    const r = await createRule(api.ctx.resources.db, who, rule({ channelIds: [dead.id], groupBy: [] }));
    await ev.tick(Date.now());
    await ev.tick(Date.now());
    const failed = (await events(r.id)).filter((e) => e.startsWith('notify_failed'));
    expect(failed).toHaveLength(2); // not marked notified, so tried again

    const other = new AlertEvaluator(api.ctx.resources.db, api.ctx.telemetry, {
      intervalMs: 200,
      owner: 'two',
      log: () => {},
    });
    expect(await other.tick(Date.now())).toBe(false);
    expect(other.stats().evaluations).toBe(0);
    await ev.stop(); // releases the lease
    expect(await other.tick(Date.now())).toBe(true);
    expect(other.stats().evaluations).toBeGreaterThan(0);
    await other.stop();
  });
});
