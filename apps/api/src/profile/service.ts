/**
 * Runs the profile queries: folded stacks of a tag filter and range (the input of every
 * transform), and the services/processes that have profiles. Errors carry a code so the
 * edges (tRPC, HTTP) map them: `bad_filter` is the caller's, `query_failed` ours.
 */
import { QueryError } from '@zeroscope/query';
import type { TelemetryStore } from '../storage/types';
import { compile, MAX_STACKS, type ProfileFilters, processesText, servicesText, stacksText } from './queries';
import type { FoldedRow } from './tree';

export class ProfileError extends Error {
  constructor(
    readonly code: 'bad_filter' | 'query_failed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProfileError';
  }
}

const TIMEOUT_MS = 30_000;

async function run(
  store: Pick<TelemetryStore, 'query'>,
  text: string,
  start: number,
  end: number,
  signal?: AbortSignal,
): Promise<Record<string, unknown>[]> {
  let c: ReturnType<typeof compile>;
  try {
    c = compile(text, start, end);
  } catch (e) {
    if (e instanceof QueryError) throw new ProfileError('bad_filter', e.message);
    throw e;
  }
  const deadline = AbortSignal.timeout(TIMEOUT_MS);
  try {
    return await store.query<Record<string, unknown>>(c.sql, c.params, {
      signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
    });
  } catch (cause) {
    throw new ProfileError('query_failed', 'profile query failed', { cause });
  }
}

export interface StackSet {
  rows: FoldedRow[];
  /** true when the range had more distinct stacks than MAX_STACKS (the smallest are left out) */
  capped: boolean;
}

export async function loadStacks(
  store: Pick<TelemetryStore, 'query'>,
  q: { start: number; end: number; eventType: string; filters: ProfileFilters },
  signal?: AbortSignal,
): Promise<StackSet> {
  const raw = await run(store, stacksText(q.eventType, q.filters), q.start, q.end, signal);
  const rows = raw.map((r) => ({ stack: String(r.c0 ?? ''), value: Number(r.c1 ?? 0) }));
  return { rows, capped: rows.length >= MAX_STACKS };
}

export interface ProfileTargets {
  services: { name: string; value: number }[];
  processes: { name: string; pid: number; service: string; value: number }[];
}

/** '::' is the auto tag's name for rows no resource resolved (no address either). */
const serviceName = (v: unknown) => {
  const s = String(v ?? '');
  return s === '::' ? '' : s;
};

export async function loadTargets(
  store: Pick<TelemetryStore, 'query'>,
  q: { start: number; end: number; eventType: string },
  signal?: AbortSignal,
): Promise<ProfileTargets> {
  const [svc, procs] = await Promise.all([
    run(store, servicesText(q.eventType), q.start, q.end, signal),
    run(store, processesText(q.eventType), q.start, q.end, signal),
  ]);
  return {
    services: svc
      .map((r) => ({ name: serviceName(r.c0), value: Number(r.c1 ?? 0) }))
      .filter((s) => s.name !== ''),
    processes: procs.map((r) => ({
      name: String(r.c0 ?? ''),
      pid: Number(r.c1 ?? 0),
      service: serviceName(r.c2),
      value: Number(r.c3 ?? 0),
    })),
  };
}
