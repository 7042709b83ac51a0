/**
 * Alerting's write side for the API edge: rules, channels, silences and YAML import, each
 * change validated (query compiles, channels exist) and written to the audit log.
 */
import { compileQuery, QueryError } from '@zeroscope/query';
import { audit } from '../audit/log';
import type { Principal } from '../auth/types';
import type { Db, Prisma } from '../resources/db';
import type { ChannelSpec, SilenceSpec } from './schema';
import { ruleData, ruleFromRow } from './store';
import type { Rule, RuleSpec } from './types';
import { exportRules, importRules } from './yaml';

export class AlertingError extends Error {
  constructor(
    readonly code: 'invalid' | 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
    this.name = 'AlertingError';
  }
}

/** Compiles the query once so a rule that can never run is refused when saved. */
export function checkQuery(query: string): void {
  try {
    const r = compileQuery(query, { start: 0, end: 60 });
    if (r.kind !== 'sql') throw new AlertingError('invalid', 'an alert query must be a SELECT');
  } catch (err) {
    if (err instanceof QueryError) throw new AlertingError('invalid', `query: ${err.message}`);
    throw err;
  }
}

async function checkChannels(db: Db, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await db.notificationChannel.count({ where: { id: { in: ids } } });
  if (found !== new Set(ids).size) throw new AlertingError('invalid', 'unknown notification channel id');
}

const unique = (err: unknown, what: string) => {
  if ((err as { code?: string }).code === 'P2002') return new AlertingError('conflict', `${what} exists`);
  return err;
};

export async function createRule(db: Db, who: Principal, spec: RuleSpec): Promise<Rule> {
  checkQuery(spec.query);
  await checkChannels(db, spec.channelIds);
  try {
    const row = await db.alertRule.create({ data: ruleData(spec, `${who.kind}:${who.name}`) });
    await audit(db, who, 'alert.rule.create', row.id, { name: spec.name });
    return ruleFromRow(row);
  } catch (err) {
    throw unique(err, `a rule named '${spec.name}'`);
  }
}

export async function updateRule(db: Db, who: Principal, id: number, spec: RuleSpec): Promise<Rule> {
  checkQuery(spec.query);
  await checkChannels(db, spec.channelIds);
  if (!(await db.alertRule.findUnique({ where: { id } })))
    throw new AlertingError('not_found', `no rule ${id}`);
  try {
    const row = await db.alertRule.update({ where: { id }, data: ruleData(spec) });
    await audit(db, who, 'alert.rule.update', id, { name: spec.name });
    return ruleFromRow(row);
  } catch (err) {
    throw unique(err, `a rule named '${spec.name}'`);
  }
}

export async function deleteRule(db: Db, who: Principal, id: number): Promise<void> {
  const r = await db.alertRule.deleteMany({ where: { id } });
  if (r.count === 0) throw new AlertingError('not_found', `no rule ${id}`);
  await db.alertState.deleteMany({ where: { ruleId: id } });
  await audit(db, who, 'alert.rule.delete', id);
}

export async function exportYaml(db: Db): Promise<string> {
  const [rules, channels] = await Promise.all([
    db.alertRule.findMany({ orderBy: { id: 'asc' } }),
    db.notificationChannel.findMany(),
  ]);
  const names = new Map(channels.map((c) => [c.id, c.name]));
  return exportRules(rules.map(ruleFromRow), (id) => names.get(id));
}

/** Creates or replaces (by name) every rule of the file; all-or-nothing validation first. */
export async function importYaml(
  db: Db,
  who: Principal,
  text: string,
): Promise<{ created: number; updated: number }> {
  const channels = await db.notificationChannel.findMany();
  const ids = new Map(channels.map((c) => [c.name, c.id]));
  const specs = importRules(text, (n) => ids.get(n));
  const problems: string[] = [];
  for (const s of specs) {
    try {
      checkQuery(s.query);
    } catch (err) {
      problems.push(`${s.name}: ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) throw new AlertingError('invalid', problems.join('; '));
  let created = 0;
  let updated = 0;
  for (const s of specs) {
    const existing = await db.alertRule.findUnique({ where: { name: s.name } });
    if (existing) {
      await db.alertRule.update({ where: { id: existing.id }, data: ruleData(s) });
      updated++;
    } else {
      await db.alertRule.create({ data: ruleData(s, `${who.kind}:${who.name}`) });
      created++;
    }
  }
  await audit(db, who, 'alert.rule.import', undefined, { created, updated });
  return { created, updated };
}

const SECRET_KEYS = new Set(['password', 'headers']);

/** Channel configs without secrets, for listing to viewers. */
export function redactConfig(config: unknown): Record<string, unknown> {
  if (typeof config !== 'object' || config === null) return {};
  return Object.fromEntries(
    Object.entries(config as Record<string, unknown>).map(([k, v]) => [
      k,
      SECRET_KEYS.has(k) && v ? '•••' : v,
    ]),
  );
}

export async function saveChannel(db: Db, who: Principal, spec: ChannelSpec, id?: number) {
  const data = {
    name: spec.name,
    kind: spec.kind,
    config: spec.config as Prisma.InputJsonObject,
    enabled: spec.enabled,
  };
  try {
    if (id === undefined) {
      const row = await db.notificationChannel.create({ data });
      await audit(db, who, 'alert.channel.create', row.id, { name: spec.name, kind: spec.kind });
      return row;
    }
    if (!(await db.notificationChannel.findUnique({ where: { id } })))
      throw new AlertingError('not_found', `no channel ${id}`);
    const row = await db.notificationChannel.update({ where: { id }, data });
    await audit(db, who, 'alert.channel.update', id, { name: spec.name, kind: spec.kind });
    return row;
  } catch (err) {
    throw unique(err, `a channel named '${spec.name}'`);
  }
}

export async function deleteChannel(db: Db, who: Principal, id: number): Promise<void> {
  const r = await db.notificationChannel.deleteMany({ where: { id } });
  if (r.count === 0) throw new AlertingError('not_found', `no channel ${id}`);
  await audit(db, who, 'alert.channel.delete', id);
}

export async function createSilence(db: Db, who: Principal, s: SilenceSpec) {
  const row = await db.silence.create({
    data: {
      matchers: s.matchers as unknown as Prisma.InputJsonArray,
      startsAt: new Date(s.startsAt),
      endsAt: new Date(s.endsAt),
      comment: s.comment ?? null,
      createdBy: `${who.kind}:${who.name}`,
      kind: s.kind,
      schedule: s.schedule ? (s.schedule as Prisma.InputJsonObject) : undefined,
    },
  });
  await audit(db, who, `alert.${s.kind}.create`, row.id, { matchers: s.matchers });
  return row;
}

/** Ends a silence now (kept for the record) or deletes it. */
export async function expireSilence(db: Db, who: Principal, id: number): Promise<void> {
  const r = await db.silence.updateMany({ where: { id }, data: { endsAt: new Date() } });
  if (r.count === 0) throw new AlertingError('not_found', `no silence ${id}`);
  await audit(db, who, 'alert.silence.expire', id);
}
