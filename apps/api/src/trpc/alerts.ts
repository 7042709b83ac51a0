/** Alerting for the UI (PRODUCT.md §2.9, §2.10): rules, preview, states, history, silences, channels, YAML. */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { deliver } from '../alerting/channels';
import { compare } from '../alerting/evaluate';
import { alertHistory } from '../alerting/events';
import { ChannelSchema, ConditionSchema, RuleSpecSchema, SilenceSchema } from '../alerting/schema';
import { samplesOf } from '../alerting/series';
import {
  AlertingError,
  createRule,
  createSilence,
  deleteChannel,
  deleteRule,
  expireSilence,
  exportYaml,
  importYaml,
  redactConfig,
  saveChannel,
  updateRule,
} from '../alerting/service';
import { ERROR_KEY, ruleFromRow } from '../alerting/store';
import { TEMPLATES } from '../alerting/templates';
import type { RuleSpec } from '../alerting/types';
import { RuleFileError } from '../alerting/yaml';
import { audit } from '../audit/log';
import { QueryApiError } from '../query/errors';
import { queryServiceFor } from '../query/service';
import { protectedProcedure, roleProcedure, router } from './init';

const id = z.object({ id: z.number().int().positive() });
const EVENT_TYPES = [
  'pending',
  'firing',
  'resolved',
  'cleared',
  'nodata',
  'error',
  'silenced',
  'notified',
  'notify_failed',
] as const;

function toTrpc(err: unknown): never {
  if (err instanceof AlertingError)
    throw new TRPCError({
      code: err.code === 'not_found' ? 'NOT_FOUND' : err.code === 'conflict' ? 'CONFLICT' : 'BAD_REQUEST',
      message: err.message,
    });
  if (err instanceof RuleFileError) throw new TRPCError({ code: 'BAD_REQUEST', message: err.message });
  if (err instanceof QueryApiError)
    throw new TRPCError({ code: 'BAD_REQUEST', message: `${err.code}: ${err.message}` });
  throw err;
}

async function guarded<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    return toTrpc(err);
  }
}

export const alertsRouter = router({
  templates: protectedProcedure.query(() => TEMPLATES),

  listRules: protectedProcedure.query(async ({ ctx }) => {
    const db = ctx.api.resources.db;
    const [rows, states, errors] = await Promise.all([
      db.alertRule.findMany({ orderBy: { name: 'asc' } }),
      db.alertState.groupBy({ by: ['ruleId', 'state'], _count: { _all: true } }),
      db.alertState.findMany({ where: { seriesKey: ERROR_KEY } }),
    ]);
    return rows.map((r) => {
      const count = (s: string) => states.find((x) => x.ruleId === r.id && x.state === s)?._count._all ?? 0;
      const error = errors.find((e) => e.ruleId === r.id);
      return {
        ...ruleFromRow(r),
        firing: count('firing'),
        pending: count('pending'),
        error: error ? String((error.labels as { message?: unknown }).message ?? 'query failed') : null,
        updatedAt: r.updatedAt.getTime(),
      };
    });
  }),

  getRule: protectedProcedure.input(id).query(async ({ ctx, input }) => {
    const row = await ctx.api.resources.db.alertRule.findUnique({ where: { id: input.id } });
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `no rule ${input.id}` });
    return ruleFromRow(row);
  }),

  createRule: roleProcedure('editor')
    .input(RuleSpecSchema)
    .mutation(({ ctx, input }) =>
      guarded(() => createRule(ctx.api.resources.db, ctx.principal, input as RuleSpec)),
    ),

  updateRule: roleProcedure('editor')
    .input(z.object({ id: z.number().int().positive(), rule: RuleSpecSchema }))
    .mutation(({ ctx, input }) =>
      guarded(() => updateRule(ctx.api.resources.db, ctx.principal, input.id, input.rule as RuleSpec)),
    ),

  deleteRule: roleProcedure('editor')
    .input(id)
    .mutation(({ ctx, input }) => guarded(() => deleteRule(ctx.api.resources.db, ctx.principal, input.id))),

  /** Live preview for the editor: the query over the window, each series with its breach. */
  preview: protectedProcedure
    .input(
      z.object({
        query: z.string().min(1).max(10_000),
        condition: ConditionSchema,
        windowSeconds: z
          .number()
          .int()
          .min(1)
          .max(7 * 86_400),
      }),
    )
    .query(({ ctx, input, signal }) =>
      guarded(async () => {
        const end = Date.now() / 1000;
        const result = await queryServiceFor(ctx.api.telemetry).run(
          { sql: input.query, start: end - input.windowSeconds, end },
          signal,
        );
        const c = input.condition;
        return {
          columns: result.columns,
          series: samplesOf(result)
            .slice(0, 500)
            .map((s) => ({
              ...s,
              breach: s.value === null ? c.noData === 'alerting' : compare(s.value, c.op, c.threshold),
            })),
        };
      }),
    ),

  states: protectedProcedure.query(async ({ ctx }) => {
    const db = ctx.api.resources.db;
    const [rows, rules] = await Promise.all([
      db.alertState.findMany({
        where: { state: { in: ['pending', 'firing'] } },
        orderBy: { since: 'desc' },
        take: 2000,
      }),
      db.alertRule.findMany({ select: { id: true, name: true, severity: true } }),
    ]);
    const byId = new Map(rules.map((r) => [r.id, r]));
    return rows.map((s) => ({
      ruleId: s.ruleId,
      ruleName: byId.get(s.ruleId)?.name ?? `#${s.ruleId}`,
      severity: byId.get(s.ruleId)?.severity ?? 'warning',
      seriesKey: s.seriesKey,
      labels: s.labels as Record<string, string>,
      state: s.state,
      since: s.since.getTime(),
      value: s.value,
      notifiedAt: s.notifiedAt?.getTime() ?? null,
    }));
  }),

  history: protectedProcedure
    .input(
      z.object({
        start: z.number().finite().min(0),
        end: z.number().finite().min(0),
        ruleId: z.number().int().positive().optional(),
        types: z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length).optional(),
        limit: z.number().int().min(1).max(5000).default(500),
      }),
    )
    .query(({ ctx, input }) => alertHistory(ctx.api.telemetry, input)),

  listSilences: protectedProcedure.query(async ({ ctx }) => {
    const rows = await ctx.api.resources.db.silence.findMany({ orderBy: { startsAt: 'desc' }, take: 500 });
    return rows.map((s) => ({
      id: s.id,
      kind: s.kind,
      matchers: s.matchers,
      schedule: s.schedule,
      startsAt: s.startsAt.getTime(),
      endsAt: s.endsAt.getTime(),
      comment: s.comment,
      createdBy: s.createdBy,
    }));
  }),

  createSilence: roleProcedure('editor')
    .input(SilenceSchema)
    .mutation(async ({ ctx, input }) => ({
      id: (await createSilence(ctx.api.resources.db, ctx.principal, input)).id,
    })),

  expireSilence: roleProcedure('editor')
    .input(id)
    .mutation(({ ctx, input }) =>
      guarded(() => expireSilence(ctx.api.resources.db, ctx.principal, input.id)),
    ),

  listChannels: protectedProcedure.query(async ({ ctx }) => {
    const rows = await ctx.api.resources.db.notificationChannel.findMany({ orderBy: { name: 'asc' } });
    return rows.map((c) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      enabled: c.enabled,
      config: redactConfig(c.config),
    }));
  }),

  createChannel: roleProcedure('editor')
    .input(ChannelSchema)
    .mutation(({ ctx, input }) =>
      guarded(async () => ({ id: (await saveChannel(ctx.api.resources.db, ctx.principal, input)).id })),
    ),

  updateChannel: roleProcedure('editor')
    .input(z.object({ id: z.number().int().positive(), channel: ChannelSchema }))
    .mutation(({ ctx, input }) =>
      guarded(async () => ({
        id: (await saveChannel(ctx.api.resources.db, ctx.principal, input.channel, input.id)).id,
      })),
    ),

  /** Pauses or resumes a channel without resending its secrets. */
  setChannelEnabled: roleProcedure('editor')
    .input(z.object({ id: z.number().int().positive(), enabled: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const db = ctx.api.resources.db;
      const r = await db.notificationChannel.updateMany({
        where: { id: input.id },
        data: { enabled: input.enabled },
      });
      if (r.count === 0) throw new TRPCError({ code: 'NOT_FOUND', message: `no channel ${input.id}` });
      await audit(
        db,
        ctx.principal,
        input.enabled ? 'alert.channel.enable' : 'alert.channel.disable',
        input.id,
      );
      return { ok: true };
    }),

  deleteChannel: roleProcedure('editor')
    .input(id)
    .mutation(({ ctx, input }) =>
      guarded(() => deleteChannel(ctx.api.resources.db, ctx.principal, input.id)),
    ),

  /** Sends a test notification through one channel; the answer says whether it got through. */
  testChannel: roleProcedure('editor')
    .input(id)
    .mutation(async ({ ctx, input }) => {
      const c = await ctx.api.resources.db.notificationChannel.findUnique({ where: { id: input.id } });
      if (!c) throw new TRPCError({ code: 'NOT_FOUND', message: `no channel ${input.id}` });
      try {
        await deliver(c, {
          ruleId: 0,
          ruleName: 'Zeroscope test notification',
          severity: 'info',
          status: 'firing',
          groupKey: 'test',
          groupLabels: {},
          annotations: { summary: `sent by ${ctx.principal.name} to check channel ${c.name}` },
          condition: { op: '>', threshold: 0, noData: 'ok' },
          alerts: [
            {
              labels: { test: 'true' },
              value: 1,
              status: 'firing',
              startsAt: new Date().toISOString(),
              annotations: {},
            },
          ],
        });
        return { ok: true as const, error: null };
      } catch (err) {
        return { ok: false as const, error: (err as Error).message };
      }
    }),

  exportYaml: protectedProcedure.query(async ({ ctx }) => ({ yaml: await exportYaml(ctx.api.resources.db) })),

  importYaml: roleProcedure('editor')
    .input(z.object({ yaml: z.string().min(1).max(2_000_000) }))
    .mutation(({ ctx, input }) => guarded(() => importYaml(ctx.api.resources.db, ctx.principal, input.yaml))),

  /** Which instance evaluates, and how evaluation goes. */
  status: protectedProcedure.query(async ({ ctx }) => {
    const lock = await ctx.api.resources.db.leaderLock.findUnique({ where: { name: 'alert-evaluator' } });
    const ev = ctx.api.alerts;
    return {
      thisInstance: ev ? { owner: ev.owner, leader: ev.isLeader(), ...ev.stats() } : null,
      lease: lock ? { owner: lock.owner, expiresAt: lock.expiresAt.getTime() } : null,
    };
  }),
});
