/**
 * Traces for the UI (PRODUCT.md §2.6): search by service/endpoint/status/duration/time,
 * a trace by id, and the trace holding a request log (the request drawer's jump-to-trace).
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { TraceError } from '../tracing/errors';
import { searchTraces } from '../tracing/search';
import { traceSearchInput } from '../tracing/search-sql';
import { findTrace } from '../tracing/store';
import { protectedProcedure, router } from './init';
import { requestLogKey } from './requestLogSql';

function toTrpc(err: unknown): never {
  if (err instanceof TraceError) {
    if (err.code === 'not_found') throw new TRPCError({ code: 'NOT_FOUND', message: err.message });
    if (err.code === 'bad_input') throw new TRPCError({ code: 'BAD_REQUEST', message: err.message });
    throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: err.message, cause: err });
  }
  throw err;
}

export const traceRouter = router({
  search: protectedProcedure
    .input(traceSearchInput)
    .query(({ ctx, input }) => searchTraces(ctx.api.telemetry, input).catch(toTrpc)),

  get: protectedProcedure
    .input(z.object({ traceId: z.string().min(1).max(128) }).strict())
    .query(({ ctx, input }) => findTrace(ctx.api.telemetry, { traceId: input.traceId }).catch(toTrpc)),

  byRecord: protectedProcedure
    .input(requestLogKey)
    .query(({ ctx, input }) => findTrace(ctx.api.telemetry, { recordKey: input }).catch(toTrpc)),
});
