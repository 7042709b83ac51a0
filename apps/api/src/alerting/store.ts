/** Rules, channels, silences and per-series state in the resource DB (Prisma), as alerting types. */
import type { AlertRule, Db, Prisma } from '../resources/db';
import { ConditionSchema } from './schema';
import type { SilenceLike } from './silences';
import type { Rule, RuleSpec, SeriesState, Severity } from './types';

const obj = (v: unknown): Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)]))
    : {};
const list = <T>(v: unknown, ok: (x: unknown) => x is T): T[] => (Array.isArray(v) ? v.filter(ok) : []);
const isNum = (x: unknown): x is number => typeof x === 'number';
const isStr = (x: unknown): x is string => typeof x === 'string';

export function ruleFromRow(r: AlertRule): Rule {
  const cond = ConditionSchema.safeParse(r.condition);
  return {
    id: r.id,
    name: r.name,
    description: r.description ?? undefined,
    query: r.query,
    // a row edited by hand into nonsense never fires rather than crashing the evaluator
    condition: cond.success ? cond.data : { op: '>', threshold: Number.POSITIVE_INFINITY, noData: 'keep' },
    forSeconds: r.forSeconds,
    windowSeconds: r.windowSeconds,
    repeatSeconds: r.repeatSeconds,
    severity: (['info', 'warning', 'critical'].includes(r.severity) ? r.severity : 'warning') as Severity,
    labels: obj(r.labels),
    annotations: obj(r.annotations),
    groupBy: list(r.groupBy, isStr),
    channelIds: list(r.channelIds, isNum),
    template: r.template ?? undefined,
    enabled: r.enabled,
  };
}

export function ruleData(s: RuleSpec, createdBy?: string) {
  return {
    name: s.name,
    description: s.description ?? null,
    query: s.query,
    condition: s.condition as unknown as Prisma.InputJsonObject,
    forSeconds: s.forSeconds,
    windowSeconds: s.windowSeconds,
    repeatSeconds: s.repeatSeconds,
    severity: s.severity,
    labels: s.labels,
    annotations: s.annotations,
    groupBy: s.groupBy,
    channelIds: s.channelIds,
    template: s.template ?? null,
    enabled: s.enabled,
    ...(createdBy ? { createdBy } : {}),
  };
}

export async function loadSilences(db: Db, now: number): Promise<SilenceLike[]> {
  const rows = await db.silence.findMany({ where: { endsAt: { gt: new Date(now) } } });
  return rows.map((s) => ({
    matchers: Array.isArray(s.matchers) ? (s.matchers as unknown as SilenceLike['matchers']) : [],
    startsAt: s.startsAt.getTime(),
    endsAt: s.endsAt.getTime(),
    kind: s.kind === 'maintenance' ? 'maintenance' : 'silence',
    schedule: (s.schedule as SilenceLike['schedule']) ?? null,
  }));
}

/** The state row holding a rule's current query error (never a series). */
export const ERROR_KEY = '!error';

/** Records (message) or clears (undefined) the rule's query error, visible to every instance. */
export async function setRuleError(
  db: Db,
  ruleId: number,
  message: string | undefined,
  now: number,
): Promise<void> {
  if (message === undefined) {
    await db.alertState.deleteMany({ where: { ruleId, seriesKey: ERROR_KEY } });
    return;
  }
  const data = {
    labels: { message: message.slice(0, 2000) },
    state: 'error',
    since: new Date(now),
    lastEvalAt: new Date(now),
  };
  await db.alertState.upsert({
    where: { ruleId_seriesKey: { ruleId, seriesKey: ERROR_KEY } },
    create: { ruleId, seriesKey: ERROR_KEY, ...data },
    update: data,
  });
}

export async function loadStates(db: Db, ruleId: number): Promise<Map<string, SeriesState>> {
  const rows = await db.alertState.findMany({ where: { ruleId, seriesKey: { not: ERROR_KEY } } });
  return new Map(
    rows.map((r) => [
      r.seriesKey,
      {
        key: r.seriesKey,
        labels: obj(r.labels),
        status: r.state === 'firing' || r.state === 'pending' ? r.state : 'ok',
        since: r.since.getTime(),
        value: r.value,
        noData: false,
        firedAt: r.firedAt?.getTime(),
        notifiedAt: r.notifiedAt?.getTime(),
      } satisfies SeriesState,
    ]),
  );
}

const d = (ms: number | undefined) => (ms === undefined ? null : new Date(ms));

const changed = (a: SeriesState | undefined, b: SeriesState) =>
  !a || a.status !== b.status || a.since !== b.since || a.notifiedAt !== b.notifiedAt || a.value !== b.value;

/** Writes the rule's series states: upserts what changed, deletes what is gone. */
export async function saveStates(
  db: Db,
  ruleId: number,
  prev: ReadonlyMap<string, SeriesState>,
  states: ReadonlyMap<string, SeriesState>,
  now: number,
): Promise<void> {
  const gone = [...prev.keys()].filter((k) => !states.has(k));
  if (gone.length > 0) await db.alertState.deleteMany({ where: { ruleId, seriesKey: { in: gone } } });
  for (const s of states.values()) {
    if (!changed(prev.get(s.key), s)) continue;
    const data = {
      labels: s.labels,
      state: s.status,
      since: new Date(s.since),
      value: s.value !== null && Number.isFinite(s.value) ? s.value : null,
      lastEvalAt: new Date(now),
      firedAt: d(s.firedAt),
      notifiedAt: d(s.notifiedAt),
    };
    await db.alertState.upsert({
      where: { ruleId_seriesKey: { ruleId, seriesKey: s.key } },
      create: { ruleId, seriesKey: s.key, ...data },
      update: data,
    });
  }
}
