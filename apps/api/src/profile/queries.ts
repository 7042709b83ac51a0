/**
 * Profile queries in the Zeroscope query language over the logical table `profile`
 * (packages/tags), compiled by @zeroscope/query: tag names are resolved (or rejected) by
 * the catalog, values travel as literals the compiler binds as parameters. Pure.
 */
import { type CompiledSql, compileQuery } from '@zeroscope/query';
import { findTag, getTable } from '@zeroscope/tags';
import { PROFILE_EVENT_TYPES } from '@zeroscope/wire/profile';
import { z } from 'zod';

const epochSeconds = z.number().int().min(0).max(4_102_444_800);
const TAG_NAME = /^[A-Za-z0-9_.\-/]{1,128}$/;
/** Distinct stacks read per range; past this the smallest are left out (and counted). */
export const MAX_STACKS = 200_000;

export const profileFilters = z
  .array(z.object({ tag: z.string().regex(TAG_NAME), value: z.string().max(512) }))
  .max(16);
export type ProfileFilters = z.infer<typeof profileFilters>;

const range = z
  .object({ start: epochSeconds, end: epochSeconds })
  .refine((v) => v.end > v.start, { message: 'end must be after start', path: ['end'] });

const base = {
  start: epochSeconds,
  end: epochSeconds,
  eventType: z.enum(PROFILE_EVENT_TYPES).default('on-cpu'),
  /** any catalog tag = value (`auto_service`, `pod`, `process_kname`, `k8s.label.app`, ...) */
  filters: profileFilters.default([]),
};

export const flameInput = z
  .object({ ...base, maxNodes: z.number().int().min(100).max(200_000).default(50_000) })
  .refine((v) => v.end > v.start, { message: 'end must be after start', path: ['end'] });
export type FlameInput = z.output<typeof flameInput>;

export const diffInput = z
  .object({
    ...base,
    /** the range compared against (before); start/end are the range of interest (after) */
    baseline: range,
    maxNodes: z.number().int().min(100).max(200_000).default(50_000),
  })
  .refine((v) => v.end > v.start, { message: 'end must be after start', path: ['end'] });
export type DiffInput = z.output<typeof diffInput>;

export const topInput = z
  .object({
    ...base,
    by: z.enum(['self', 'total']).default('self'),
    limit: z.number().int().min(1).max(5000).default(200),
    /** with a baseline range, each function also carries its values there (a diff table) */
    baseline: range.optional(),
  })
  .refine((v) => v.end > v.start, { message: 'end must be after start', path: ['end'] });
export type TopInput = z.output<typeof topInput>;

export const targetsInput = z
  .object({ start: epochSeconds, end: epochSeconds, eventType: base.eventType })
  .refine((v) => v.end > v.start, { message: 'end must be after start', path: ['end'] });
export type TargetsInput = z.output<typeof targetsInput>;

export const literal = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const PROFILE_TABLE = getTable('profile');

/** Numeric tags (`process_id`, `*_id`) compare with a number, everything else with a string. */
function valueText(tag: string, value: string): string {
  const t = PROFILE_TABLE ? findTag(PROFILE_TABLE, tag) : undefined;
  if (t?.type === 'int' && /^\d{1,15}$/.test(value)) return value;
  return literal(value);
}

function whereText(eventType: string, filters: ProfileFilters): string {
  const parts = [`event_type = ${literal(eventType)}`];
  for (const f of filters) parts.push(`\`${f.tag}\` = ${valueText(f.tag, f.value)}`);
  return ` WHERE ${parts.join(' AND ')}`;
}

/** Folded stacks with their summed values, largest first. */
export function stacksText(eventType: string, filters: ProfileFilters, limit = MAX_STACKS): string {
  return (
    `SELECT stack, Sum(value) AS v FROM profile${whereText(eventType, filters)} ` +
    `GROUP BY stack ORDER BY v DESC LIMIT ${limit}`
  );
}

/** What can be profiled in the range: services and processes by their profile weight. */
export function servicesText(eventType: string): string {
  return (
    `SELECT auto_service AS s, Sum(value) AS v FROM profile${whereText(eventType, [])} ` +
    'GROUP BY s ORDER BY v DESC LIMIT 200'
  );
}

export function processesText(eventType: string): string {
  return (
    `SELECT process_kname AS p, process_id AS pid, auto_service AS s, Sum(value) AS v FROM profile${whereText(eventType, [])} ` +
    'GROUP BY p, pid, s ORDER BY v DESC LIMIT 500'
  );
}

export function compile(text: string, start: number, end: number, maxRows = MAX_STACKS): CompiledSql {
  const r = compileQuery(text, { start, end, maxRows });
  if (r.kind !== 'sql') throw new Error('internal: profile query compiled to a listing');
  return r;
}
