/**
 * The service map for the UI: edges and nodes with RED metrics over a range, per-frame
 * edges for the time slider (one query for the whole range), and one node's instances
 * and endpoints for the side panel.
 */

import { TRPCError } from '@trpc/server';
import { QueryError } from '@zeroscope/query';
import { protectedProcedure, router, type TrpcContext } from './init';
import {
  compile,
  edgesText,
  endpointsText,
  frameStep,
  instancesText,
  MAX_TIMELINE_ROWS,
  mapInput,
  nodeInput,
  nodesText,
  timelineText,
} from './mapQueries';
import { edgesOf, endpointsOf, namedOf, nodesOf, timelineOf } from './mapShape';

const TIMEOUT_MS = 30_000;

/** Compiles and runs one map query; a filter naming an unknown tag is the caller's error. */
export async function runText(
  ctx: TrpcContext,
  text: string,
  start: number,
  end: number,
  maxRows = 20_000,
  signal?: AbortSignal,
): Promise<Record<string, unknown>[]> {
  let compiled: ReturnType<typeof compile>;
  try {
    compiled = compile(text, start, end, maxRows);
  } catch (err) {
    if (err instanceof QueryError) throw new TRPCError({ code: 'BAD_REQUEST', message: err.message });
    throw err;
  }
  const deadline = AbortSignal.timeout(TIMEOUT_MS);
  try {
    return await ctx.api.telemetry.query<Record<string, unknown>>(compiled.sql, compiled.params, {
      signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
    });
  } catch (cause) {
    throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'map query failed', cause });
  }
}

export const mapRouter = router({
  graph: protectedProcedure.input(mapInput).query(async ({ ctx, input, signal }) => {
    const [edgeRows, nodeRows] = await Promise.all([
      runText(ctx, edgesText(input), input.start, input.end, undefined, signal),
      runText(ctx, nodesText(input), input.start, input.end, undefined, signal),
    ]);
    return { seconds: input.end - input.start, edges: edgesOf(edgeRows), nodes: nodesOf(nodeRows) };
  }),

  timeline: protectedProcedure.input(mapInput).query(async ({ ctx, input, signal }) => {
    const step = frameStep(input.start, input.end);
    const rows = await runText(ctx, timelineText(input), input.start, input.end, MAX_TIMELINE_ROWS, signal);
    return timelineOf(rows, input.start, input.end, step);
  }),

  node: protectedProcedure.input(nodeInput).query(async ({ ctx, input, signal }) => {
    const [inst, eps] = await Promise.all([
      runText(ctx, instancesText(input), input.start, input.end, undefined, signal),
      runText(ctx, endpointsText(input), input.start, input.end, undefined, signal),
    ]);
    return { instances: namedOf(inst).sort((a, b) => b.requests - a.requests), endpoints: endpointsOf(eps) };
  }),
});
