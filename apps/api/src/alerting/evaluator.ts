/**
 * The alert evaluator: every interval, the API instance holding the lease runs each enabled
 * rule's query over its window, advances per-series state, writes alert events to ClickHouse,
 * and notifies the rule's channels for groups that changed (PRODUCT.md §2.10).
 */
import { randomUUID } from 'node:crypto';
import { QueryApiError } from '../query/errors';
import { queryServiceFor } from '../query/service';
import type { Db } from '../resources/db';
import type { TelemetryStore } from '../storage/types';
import { type ChannelRow, deliver } from './channels';
import { evaluate } from './evaluate';
import { type AlertEvent, writeAlertEvents } from './events';
import { planNotifications } from './group';
import { Lease } from './lock';
import { samplesOf } from './series';
import { isSilenced, type SilenceLike } from './silences';
import { loadSilences, loadStates, ruleFromRow, saveStates, setRuleError } from './store';
import type { Notification, Rule, SeriesState } from './types';

export interface EvaluatorOptions {
  intervalMs: number;
  /** lease length; another instance takes over this long after the holder dies */
  leaseMs?: number;
  owner?: string;
  log?: (line: string) => void;
}

export interface EvaluatorStats {
  ticks: number;
  leaderTicks: number;
  evaluations: number;
  ruleErrors: number;
  notificationsSent: number;
  notificationsFailed: number;
  lastTickAt: number | null;
}

export const LEASE_NAME = 'alert-evaluator';

export class AlertEvaluator {
  readonly owner: string;
  private readonly lease: Lease;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private readonly ruleErrors = new Map<number, string>();
  private readonly counts: EvaluatorStats = {
    ticks: 0,
    leaderTicks: 0,
    evaluations: 0,
    ruleErrors: 0,
    notificationsSent: 0,
    notificationsFailed: 0,
    lastTickAt: null,
  };
  private leader = false;

  constructor(
    private readonly db: Db,
    private readonly telemetry: Pick<TelemetryStore, 'query' | 'command'>,
    private readonly opts: EvaluatorOptions,
  ) {
    this.owner = opts.owner ?? randomUUID();
    this.lease = new Lease(db, LEASE_NAME, this.owner, opts.leaseMs ?? Math.max(3 * opts.intervalMs, 5_000));
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      this.running = this.tick()
        .then(() => undefined)
        .catch((err) => this.log(`alert evaluation failed: ${(err as Error).message}`))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.timer = setTimeout(loop, this.opts.intervalMs);
        });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    if (this.leader) await this.lease.release().catch(() => undefined);
    this.leader = false;
  }

  isLeader(): boolean {
    return this.leader;
  }

  stats(): EvaluatorStats {
    return { ...this.counts };
  }

  /** One round; returns whether this instance held the lease. */
  async tick(now = Date.now()): Promise<boolean> {
    this.counts.ticks++;
    this.counts.lastTickAt = now;
    this.leader = await this.lease.acquire(now);
    if (!this.leader) return false;
    this.counts.leaderTicks++;
    const rows = await this.db.alertRule.findMany({ where: { enabled: true }, orderBy: { id: 'asc' } });
    if (rows.length === 0) return true;
    const silences = await loadSilences(this.db, now);
    const channels = new Map<number, ChannelRow>(
      (await this.db.notificationChannel.findMany()).map((c) => [c.id, c as ChannelRow]),
    );
    for (const row of rows) {
      await this.evaluateRule(ruleFromRow(row), silences, channels, now).catch((err) =>
        this.log(`alert rule ${row.id} (${row.name}) failed: ${(err as Error).message}`),
      );
    }
    return true;
  }

  private async evaluateRule(
    rule: Rule,
    silences: SilenceLike[],
    channels: Map<number, ChannelRow>,
    now: number,
  ): Promise<void> {
    this.counts.evaluations++;
    const events: AlertEvent[] = [];
    const event = (
      type: AlertEvent['type'],
      key: string,
      labels: Record<string, string>,
      value: number | null,
      message = '',
    ) =>
      events.push({
        time: now,
        ruleId: rule.id,
        ruleName: rule.name,
        seriesKey: key,
        labels,
        type,
        severity: rule.severity,
        value,
        threshold: rule.condition.threshold,
        message,
      });

    let result: { columns: string[]; values: unknown[][] };
    try {
      result = await queryServiceFor(this.telemetry).run({
        sql: rule.query,
        start: (now - rule.windowSeconds * 1000) / 1000,
        end: now / 1000,
      });
    } catch (err) {
      const message = err instanceof QueryApiError ? `${err.code}: ${err.message}` : (err as Error).message;
      this.counts.ruleErrors++;
      // one error event per distinct failure, not one per interval
      if (this.ruleErrors.get(rule.id) !== message) {
        this.ruleErrors.set(rule.id, message);
        event('error', '', rule.labels, null, message);
        await writeAlertEvents(this.telemetry, events);
        await setRuleError(this.db, rule.id, message, now);
      }
      return;
    }
    if (this.ruleErrors.delete(rule.id)) await setRuleError(this.db, rule.id, undefined, now);

    const prev = await loadStates(this.db, rule.id);
    const { next, transitions } = evaluate(rule, samplesOf(result), prev, now);
    const silenced = (labels: Record<string, string>) => isSilenced(silences, labels, now);
    for (const t of transitions) {
      event(t.type, t.key, t.labels, t.value);
      if ((t.type === 'firing' || t.type === 'resolved') && silenced(t.labels))
        event('silenced', t.key, t.labels, t.value);
    }

    const plan = planNotifications({ rule, states: next, transitions, silenced, now });
    const delivered = await this.notify(rule, plan.notifications, channels, event);
    for (const [group, keys] of plan.notified) {
      if (!delivered.has(group)) continue; // every channel failed: retried next round
      for (const key of keys) {
        const s = next.get(key);
        if (s) next.set(key, { ...s, notifiedAt: now } satisfies SeriesState);
      }
    }
    await saveStates(this.db, rule.id, prev, next, now);
    await writeAlertEvents(this.telemetry, events);
  }

  /** Sends each notification to the rule's enabled channels; returns the group keys that got through. */
  private async notify(
    rule: Rule,
    notifications: Notification[],
    channels: Map<number, ChannelRow>,
    event: (
      type: AlertEvent['type'],
      key: string,
      labels: Record<string, string>,
      value: number | null,
      message?: string,
    ) => void,
  ): Promise<Set<string>> {
    const ok = new Set<string>();
    const targets = rule.channelIds
      .map((id) => channels.get(id))
      .filter((c): c is ChannelRow => !!c && c.enabled);
    for (const n of notifications) {
      if (targets.length === 0) {
        ok.add(n.groupKey); // nothing to deliver to: the state is still "notified" for dedup
        continue;
      }
      const results = await Promise.allSettled(targets.map((c) => deliver(c, n)));
      results.forEach((r, i) => {
        const c = targets[i]!;
        if (r.status === 'fulfilled') {
          this.counts.notificationsSent++;
          ok.add(n.groupKey);
          event('notified', n.groupKey, n.groupLabels, null, `${n.status} -> ${c.kind}:${c.name}`);
        } else {
          this.counts.notificationsFailed++;
          const msg = (r.reason as Error).message;
          event(
            'notify_failed',
            n.groupKey,
            n.groupLabels,
            null,
            `${n.status} -> ${c.kind}:${c.name}: ${msg}`,
          );
          this.log(`alert ${rule.name}: channel ${c.name} failed: ${msg}`);
        }
      });
    }
    return ok;
  }

  private log(line: string): void {
    (this.opts.log ?? ((l: string) => process.stderr.write(`${l}\n`)))(line);
  }
}
