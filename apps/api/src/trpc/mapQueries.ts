/**
 * Service-map queries written in the Zeroscope query language and compiled by
 * @zeroscope/query (STYLE.md rule 10): tag names come from the GROUPINGS whitelist or are
 * resolved (and rejected) by the compiler's tag catalog, values travel as string literals
 * the compiler turns into bound parameters. Pure: no I/O, tested in mapQueries.test.ts.
 */
import { type CompiledSql, compileQuery } from '@zeroscope/query';
import { z } from 'zod';

/** What the map can group nodes by, and the catalog tag each choice reads. */
export const GROUPINGS = {
  service: 'auto_service',
  instance: 'auto_instance',
  workload: 'pod_group',
  namespace: 'pod_ns',
  host: 'host',
  process: 'gprocess',
  ip: 'ip',
} as const;
export type Grouping = keyof typeof GROUPINGS;
export const GROUPING_NAMES = Object.keys(GROUPINGS) as Grouping[];

const epochSeconds = z.number().int().min(0).max(4_102_444_800);
const TAG_NAME = /^[A-Za-z0-9_.\-/]{1,128}$/;

/**
 * A grouping: one of GROUPINGS, or any other tag the catalog knows on both ends (`pod`,
 * `pod_cluster`, `k8s.label.app`, ...); the compiler rejects a tag it does not know.
 */
export const groupBy = z
  .union([z.enum(GROUPING_NAMES as [Grouping, ...Grouping[]]), z.string().regex(TAG_NAME)])
  .default('service');

/** The catalog tag a grouping reads, quoted for the query text (`tag` or `tag_0`/`tag_1`). */
export function groupTag(g: string, end?: 0 | 1): string {
  const tag = (GROUPINGS as Record<string, string>)[g] ?? g;
  return `\`${end === undefined ? tag : `${tag}_${end}`}\``;
}

export const mapFilters = z
  .object({
    l7_protocol: z
      .array(z.string().regex(/^[a-z0-9]{1,16}$/))
      .max(16)
      .optional(),
    /** any catalog tag = value, e.g. {tag: 'pod_ns', value: 'shop'} (either end) */
    tags: z
      .array(z.object({ tag: z.string().regex(TAG_NAME), value: z.string().max(512) }))
      .max(16)
      .optional(),
  })
  .strict();
export type MapFilters = z.infer<typeof mapFilters>;

export const mapInput = z
  .object({
    start: epochSeconds,
    end: epochSeconds,
    groupBy,
    filters: mapFilters.optional(),
  })
  .refine((v) => v.end > v.start, { message: 'end must be after start', path: ['end'] });
export type MapInput = z.output<typeof mapInput>;

export const nodeInput = z
  .object({
    start: epochSeconds,
    end: epochSeconds,
    groupBy,
    node: z.string().max(512),
    filters: mapFilters.optional(),
  })
  .refine((v) => v.end > v.start, { message: 'end must be after start', path: ['end'] });
export type NodeInput = z.output<typeof nodeInput>;

/** Most edges or nodes one answer carries; the map shows the busiest. */
export const MAX_EDGES = 20_000;
export const MAX_TIMELINE_ROWS = 400_000;
/** The timeline steps by minute up to this range, by hour beyond. */
export const MINUTE_FRAMES_UP_TO_S = 12 * 3600;

export const literal = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Table resolution for an aggregate over the whole range. */
export function resolutionFor(start: number, end: number): '1m' | '1h' {
  return end - start > 2 * 86400 ? '1h' : '1m';
}

export function frameStep(start: number, end: number): 60 | 3600 {
  return end - start > MINUTE_FRAMES_UP_TO_S ? 3600 : 60;
}

function whereText(f: MapFilters | undefined, extra: string[] = []): string {
  const parts = [...extra];
  if (f?.l7_protocol?.length) parts.push(`l7_protocol IN (${f.l7_protocol.map(literal).join(', ')})`);
  for (const t of f?.tags ?? []) parts.push(`\`${t.tag}\` = ${literal(t.value)}`);
  return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
}

/** RED values every edge/node query selects, in this order after the keys. */
export const RED_SELECT =
  'Sum(request) AS req, Sum(error) AS err, Sum(timeout) AS tmo, Sum(response_duration_sum) AS lsum, ' +
  'Sum(response_duration_count) AS lcnt, response_duration_max AS lmax, response_duration_p99 AS p99';
export const RED_COLUMNS = ['req', 'err', 'tmo', 'lsum', 'lcnt', 'lmax', 'p99'] as const;
/**
 * RED_SELECT without the p99: the sketch quantile is most of an edge query's cost (about
 * 190 of 310 ms at 5,000 edges, bench/ui), and the whole-range map colours edges by errors
 * only; node p99 comes from nodesText. Readers see p99 = 0.
 */
export const RED_SELECT_NO_P99 = RED_SELECT.replace(', response_duration_p99 AS p99', '');

/**
 * Client -> server edges over the whole range, split by observation point so the reader can
 * keep one vantage per edge (a request seen by both client and server is not counted twice).
 */
export function edgesText(input: MapInput): string {
  const res = resolutionFor(input.start, input.end);
  return (
    `SELECT ${groupTag(input.groupBy, 0)} AS a, ${groupTag(input.groupBy, 1)} AS b, observation_point AS op, ${RED_SELECT_NO_P99} ` +
    `FROM application_map.${res}${whereText(input.filters)} GROUP BY a, b, op ORDER BY req DESC LIMIT ${MAX_EDGES}`
  );
}

/** Server-side RED per node (exact p99 from the node's own sketch, not its edges'). */
export function nodesText(input: MapInput): string {
  const res = resolutionFor(input.start, input.end);
  return (
    `SELECT ${groupTag(input.groupBy)} AS n, observation_point AS op, ${RED_SELECT} ` +
    `FROM application.${res}${whereText(input.filters)} GROUP BY n, op ORDER BY req DESC LIMIT ${MAX_EDGES}`
  );
}

/** Per-frame edges for the whole range in one query; the UI plays frames client side. */
export function timelineText(input: MapInput): string {
  const step = frameStep(input.start, input.end);
  const res = step === 60 ? '1m' : '1h';
  return (
    `SELECT time(time, ${step}) AS t, ${groupTag(input.groupBy, 0)} AS a, ${groupTag(input.groupBy, 1)} AS b, observation_point AS op, ${RED_SELECT} ` +
    `FROM application_map.${res}${whereText(input.filters)} GROUP BY t, a, b, op ORDER BY t ASC LIMIT ${MAX_TIMELINE_ROWS}`
  );
}

function nodeWhere(input: NodeInput): string[] {
  return [`${groupTag(input.groupBy)} = ${literal(input.node)}`];
}

/** The node's server-side instances (pod > process > host > IP). */
export function instancesText(input: NodeInput): string {
  const res = resolutionFor(input.start, input.end);
  return (
    `SELECT auto_instance AS n, observation_point AS op, ${RED_SELECT} FROM application.${res}` +
    `${whereText(input.filters, nodeWhere(input))} GROUP BY n, op ORDER BY req DESC LIMIT 200`
  );
}

export function endpointsText(input: NodeInput): string {
  const res = resolutionFor(input.start, input.end);
  return (
    `SELECT endpoint AS n, l7_protocol AS proto, server_port AS port, observation_point AS op, ${RED_SELECT} ` +
    `FROM application.${res}${whereText(input.filters, nodeWhere(input))} ` +
    'GROUP BY n, proto, port, op ORDER BY req DESC LIMIT 200'
  );
}

export function compile(text: string, start: number, end: number, maxRows: number): CompiledSql {
  const r = compileQuery(text, { start, end, maxRows });
  if (r.kind !== 'sql') throw new Error('map queries always compile to SQL');
  return r;
}
