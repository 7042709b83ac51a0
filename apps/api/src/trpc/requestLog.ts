/** Request logs (flow_log.l7_flow_log) for the UI: a filtered page, its total, one full record. */
import { TRPCError } from '@trpc/server';
import type { RequestLog } from '@zeroscope/wire/records';
import { protectedProcedure, router, type TrpcContext } from './init';
import {
  type BoundQuery,
  countQuery,
  getQuery,
  type LIST_COLUMNS,
  listQuery,
  normalizeRow,
  requestLogKey,
  requestLogListInput,
} from './requestLogSql';

export type RequestLogRow = Pick<RequestLog, (typeof LIST_COLUMNS)[number]>;

async function run<T>(ctx: TrpcContext, q: BoundQuery): Promise<T[]> {
  try {
    const rows = await ctx.api.telemetry.query<Record<string, unknown>>(q.sql, q.params);
    return rows.map((r: Record<string, unknown>) => normalizeRow(r) as T);
  } catch (cause) {
    throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'request-log query failed', cause });
  }
}

export const requestLogRouter = router({
  list: protectedProcedure.input(requestLogListInput).query(async ({ ctx, input }) => {
    const [rows, counted] = await Promise.all([
      run<RequestLogRow>(ctx, listQuery(input)),
      run<{ n: number }>(ctx, countQuery(input)),
    ]);
    return { rows, count: Number(counted[0]?.n ?? 0) };
  }),

  get: protectedProcedure.input(requestLogKey).query(async ({ ctx, input }) => {
    const [row] = await run<RequestLog>(ctx, getQuery(input));
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: 'no request log with that key' });
    return row;
  }),
});
