/** The query language for the UI: run a query, list tables/tags/metrics, autocomplete tag values. */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { listTableMetrics, listTables, listTableTags, TABLE_NAMES, tagValues } from '../query/catalog';
import { QueryApiError } from '../query/errors';
import { queryServiceFor } from '../query/service';
import { protectedProcedure, router, type TrpcContext } from './init';

const epochSeconds = z.number().finite().min(0).max(1e11);
const range = { start: epochSeconds, end: epochSeconds };
const tableName = z.enum(TABLE_NAMES);

const STATUS_CODE = {
  400: 'BAD_REQUEST',
  422: 'UNPROCESSABLE_CONTENT',
  499: 'CLIENT_CLOSED_REQUEST',
  504: 'TIMEOUT',
} as const;

/** tRPC error with the query error's body as its cause (position, expected reach the UI via message). */
function toTrpc(err: unknown): TRPCError {
  if (!(err instanceof QueryApiError))
    return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'query failed', cause: err });
  const code = STATUS_CODE[err.status as keyof typeof STATUS_CODE] ?? 'INTERNAL_SERVER_ERROR';
  return new TRPCError({ code, message: JSON.stringify(err.toBody()), cause: err });
}

async function guarded<T>(f: () => Promise<T> | T): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw toTrpc(err);
  }
}

const service = (ctx: TrpcContext) => queryServiceFor(ctx.api.telemetry);

export const queryRouter = router({
  /** Same semantics as POST /v1/query; errors carry `{error, message, position?, expected?}` as JSON in the message. */
  run: protectedProcedure
    .input(z.object({ sql: z.string().min(1), ...range }))
    .query(({ ctx, input, signal }) => guarded(() => service(ctx).run(input, signal))),
  tables: protectedProcedure.query(() => listTables()),
  tags: protectedProcedure
    .input(z.object({ table: tableName }))
    .query(({ input }) => guarded(() => listTableTags(input.table))),
  metrics: protectedProcedure
    .input(z.object({ table: tableName }))
    .query(({ input }) => guarded(() => listTableMetrics(input.table))),
  tagValues: protectedProcedure
    .input(
      z.object({
        table: tableName,
        tag: z.string().regex(/^[A-Za-z0-9_.\-/]{1,256}$/),
        search: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(1000).optional(),
        ...range,
      }),
    )
    .query(({ ctx, input }) => guarded(() => tagValues(service(ctx), input))),
});
