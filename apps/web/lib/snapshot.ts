/**
 * Incident-link snapshots on the client: canonical keys (the same as the API's
 * links/canonical.ts), the frozen state of the current view, and the read queries a view
 * has on screen (from the TanStack cache) that a snapshot should keep. Pure.
 */
import { resolveRange, type TimeRange } from './time-range';

export const SNAPSHOT_PARAM = 'snap';

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value === undefined ? null : JSON.parse(JSON.stringify(value))));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  return v;
}

export const snapshotKey = (path: string, input: unknown) => `${path}\n${canonicalJson(input)}`;

export interface SnapshotQuery {
  path: string;
  input: unknown;
}

/** What the cache holds per query: its key and whether it has data. */
export interface CachedQuery {
  queryKey: readonly unknown[];
  status: string;
  data?: unknown;
}

/**
 * tRPC queries of the view, from @trpc/tanstack-react-query keys `[["a","b"], {input, type}]`;
 * infinite queries become one entry per loaded page.
 */
export function viewQueries(cache: readonly CachedQuery[]): SnapshotQuery[] {
  const out: SnapshotQuery[] = [];
  for (const q of cache) {
    if (q.status !== 'success') continue;
    const [path, meta] = q.queryKey as [unknown, { input?: unknown; type?: string } | undefined];
    if (!Array.isArray(path) || !path.every((p) => typeof p === 'string')) continue;
    const name = path.join('.');
    if (name.startsWith('links.') || name.startsWith('users.')) continue;
    if (meta?.type === 'query') out.push({ path: name, input: meta.input });
    else if (meta?.type === 'infinite') {
      const pageParams = (q.data as { pageParams?: unknown[] } | undefined)?.pageParams ?? [];
      for (const cursor of pageParams)
        out.push({ path: name, input: { ...(meta.input as object), cursor, direction: 'forward' } });
    }
  }
  return out;
}

/**
 * The view's URL params with an absolute range and no auto refresh. A relative range takes
 * the start/end the view's queries actually used, so the link reopens exactly those answers.
 */
export function freezeParams(
  params: URLSearchParams,
  range: TimeRange,
  queries: readonly SnapshotQuery[],
  nowMs: number,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) if (k !== SNAPSHOT_PARAM && k !== 'refresh' && k !== 'range') out[k] = v;
  let { start, end } = resolveRange(range, nowMs);
  if (range.kind === 'relative') {
    const used = queries
      .map((q) => q.input as { start?: unknown; end?: unknown } | undefined)
      .find((i) => Number.isInteger(i?.start) && Number.isInteger(i?.end));
    if (used) {
      start = used.start as number;
      end = used.end as number;
    }
  }
  out.from = String(Math.floor(start));
  out.to = String(Math.ceil(end));
  return out;
}

export interface SnapshotEntry {
  path: string;
  /** canonical JSON of the input */
  input: string;
  data: unknown;
}

/** Looks an answer up by exact input, else by path when the snapshot has one answer for it. */
export function findInSnapshot(
  entries: readonly SnapshotEntry[],
  path: string,
  input: unknown,
): { data: unknown } | undefined {
  const key = canonicalJson(input);
  const exact = entries.find((e) => e.path === path && e.input === key);
  if (exact) return { data: exact.data };
  const same = entries.filter((e) => e.path === path);
  return same.length === 1 ? { data: same[0]!.data } : undefined;
}
