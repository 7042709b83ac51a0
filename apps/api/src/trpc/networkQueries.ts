/**
 * Network view queries (PRODUCT.md §2.3, §2.9): L4 metrics per client -> server edge from
 * `network_map`, one edge's metrics over time, and flow logs (`l4_flow_log`) narrowed to an
 * edge, an address, a port or a close type. Written in the query language like the map's
 * (mapQueries.ts): tag names come from the GROUPINGS whitelist, values become bound
 * parameters. Pure: no I/O, tested in networkQueries.test.ts.
 */
import { z } from 'zod';
import { groupBy, groupTag, literal, mapFilters, resolutionFor } from './mapQueries';

const epochSeconds = z.number().int().min(0).max(4_102_444_800);
const grouping = groupBy;
const CLOSE_TYPES = [
  'normal',
  'client_rst',
  'server_rst',
  'server_syn_miss',
  'client_ack_miss',
  'half_close',
  'timeout',
  'unknown',
] as const;

export const networkInput = z
  .object({ start: epochSeconds, end: epochSeconds, groupBy: grouping, filters: mapFilters.optional() })
  .refine((v) => v.end > v.start, { message: 'end must be after start', path: ['end'] });
export type NetworkInput = z.output<typeof networkInput>;

/** One edge of the grouping: `source`/`target` are node names ('' = unknown end). */
export const edgeInput = z
  .object({
    start: epochSeconds,
    end: epochSeconds,
    groupBy: grouping,
    source: z.string().max(512),
    target: z.string().max(512),
  })
  .refine((v) => v.end > v.start, { message: 'end must be after start', path: ['end'] });
export type EdgeInput = z.output<typeof edgeInput>;

export const flowsInput = z
  .object({
    start: epochSeconds,
    end: epochSeconds,
    groupBy: grouping,
    limit: z.number().int().min(1).max(1000).default(200),
    offset: z.number().int().min(0).max(100_000).default(0),
    filters: z
      .object({
        /** client end of the grouping */
        source: z.string().max(512).optional(),
        /** server end of the grouping */
        target: z.string().max(512).optional(),
        /** either end */
        ip: z.union([z.ipv4(), z.ipv6()]).optional(),
        server_port: z.number().int().min(0).max(65535).optional(),
        close_type: z.array(z.enum(CLOSE_TYPES)).max(CLOSE_TYPES.length).optional(),
      })
      .strict()
      .optional(),
  })
  .refine((v) => v.end > v.start, { message: 'end must be after start', path: ['end'] });
export type FlowsInput = z.output<typeof flowsInput>;
export { CLOSE_TYPES };

export const MAX_NETWORK_EDGES = 5000;

/** L4 values every edge query selects, in this order after the keys (see networkShape.L4_COLUMNS). */
export const L4_SELECT =
  'Sum(byte_tx) AS btx, Sum(byte_rx) AS brx, Sum(packet_tx) AS ptx, Sum(packet_rx) AS prx, ' +
  'Sum(new_flow) AS nf, Sum(closed_flow) AS cf, Sum(rtt_sum) AS rs, Sum(rtt_count) AS rc, rtt_max AS rm, ' +
  'Sum(srt_sum) AS ss, Sum(srt_count) AS sc, Sum(retrans) AS rt, Sum(zero_win_tx) AS zt, Sum(zero_win_rx) AS zr, ' +
  'Sum(conn_failed) AS fail, Sum(client_rst) AS crst, Sum(server_rst) AS srst, Sum(close_timeout) AS ctmo';

function where(parts: string[]): string {
  return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
}

function filterParts(f: NetworkInput['filters']): string[] {
  const parts: string[] = [];
  if (f?.l7_protocol?.length) parts.push(`l7_protocol IN (${f.l7_protocol.map(literal).join(', ')})`);
  for (const t of f?.tags ?? []) parts.push(`\`${t.tag}\` = ${literal(t.value)}`);
  return parts;
}

const ends = (g: string, source: string | undefined, target: string | undefined) => {
  const parts: string[] = [];
  if (source !== undefined) parts.push(`${groupTag(g, 0)} = ${literal(source)}`);
  if (target !== undefined) parts.push(`${groupTag(g, 1)} = ${literal(target)}`);
  return parts;
};

/** Every client -> server edge of the grouping with its L4 totals, busiest (bytes) first. */
export function networkEdgesText(input: NetworkInput): string {
  const res = resolutionFor(input.start, input.end);
  return (
    `SELECT ${groupTag(input.groupBy, 0)} AS a, ${groupTag(input.groupBy, 1)} AS b, ${L4_SELECT} FROM network_map.${res}${where(filterParts(input.filters))} ` +
    `GROUP BY a, b ORDER BY btx DESC LIMIT ${MAX_NETWORK_EDGES}`
  );
}

/**
 * Points per series: minute steps up to 2 h, coarser beyond so a chart stays ~120 points;
 * whole hours past two days, where the series read the hourly rollup (resolutionFor).
 */
export function seriesStep(start: number, end: number): number {
  const raw = Math.max(60, Math.ceil((end - start) / 120 / 60) * 60);
  return resolutionFor(start, end) === '1h' ? Math.ceil(raw / 3600) * 3600 : raw;
}

/** One edge's L4 values per step. */
export function edgeSeriesText(input: EdgeInput): string {
  const step = seriesStep(input.start, input.end);
  const res = step >= 3600 ? '1h' : '1m';
  return (
    `SELECT time(time, ${step}) AS t, ${L4_SELECT} FROM network_map.${res}` +
    `${where(ends(input.groupBy, input.source, input.target))} GROUP BY t ORDER BY t ASC LIMIT 2000`
  );
}

/** Flow-log columns of the list, in select order (networkShape.flowsOf reads them by position). */
export const FLOW_COLUMNS = [
  'start_time',
  'end_time',
  'duration',
  'ip_0',
  'ip_1',
  'client_port',
  'server_port',
  'protocol',
  'l7_protocol',
  'close_type',
  'byte_tx',
  'byte_rx',
  'packet_tx',
  'packet_rx',
  'rtt',
  'srt',
  'art',
  'retrans_tx',
  'retrans_rx',
  'zero_win_tx',
  'zero_win_rx',
  'flow_id',
] as const;

/** Newest flow-log rows (each row is one reporting interval of a flow) matching the filters. */
export function flowsText(input: FlowsInput): string {
  const f = input.filters;
  const parts = ends(input.groupBy, f?.source, f?.target);
  if (f?.ip) parts.push(`(ip_0 = ${literal(f.ip)} OR ip_1 = ${literal(f.ip)})`);
  if (f?.server_port !== undefined) parts.push(`server_port = ${f.server_port}`);
  if (f?.close_type?.length) parts.push(`close_type IN (${f.close_type.map(literal).join(', ')})`);
  return (
    `SELECT ${FLOW_COLUMNS.join(', ')}, ${groupTag(input.groupBy, 0)} AS a, ${groupTag(input.groupBy, 1)} AS b FROM l4_flow_log${where(parts)} ` +
    `ORDER BY start_time DESC LIMIT ${input.limit} OFFSET ${input.offset}`
  );
}
