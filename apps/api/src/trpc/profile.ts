/**
 * Profiles for the UI (PRODUCT.md §2.7, §2.9): the flame-graph tree of any tag filter and
 * range, the diff of two ranges, top functions, and what has profiles in a range. The
 * transforms are pure (../profile/tree.ts, top.ts); this file only runs and maps errors.
 */
import { TRPCError } from '@trpc/server';
import { diffInput, flameInput, targetsInput, topInput } from '../profile/queries';
import { loadStacks, loadTargets, ProfileError } from '../profile/service';
import { topFunctions, topFunctionsDiff } from '../profile/top';
import { buildFlameTree } from '../profile/tree';
import { protectedProcedure, router } from './init';

async function edge<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ProfileError && e.code === 'bad_filter')
      throw new TRPCError({ code: 'BAD_REQUEST', message: e.message });
    throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'profile query failed', cause: e });
  }
}

export const profileRouter = router({
  flame: protectedProcedure.input(flameInput).query(async ({ ctx, input, signal }) => {
    const set = await edge(loadStacks(ctx.api.telemetry, input, signal));
    const tree = buildFlameTree(set.rows, undefined, { maxNodes: input.maxNodes });
    return { tree, stacks: set.rows.length, capped: set.capped, eventType: input.eventType };
  }),

  diff: protectedProcedure.input(diffInput).query(async ({ ctx, input, signal }) => {
    const [after, before] = await Promise.all([
      edge(loadStacks(ctx.api.telemetry, input, signal)),
      edge(loadStacks(ctx.api.telemetry, { ...input, ...input.baseline }, signal)),
    ]);
    const tree = buildFlameTree(after.rows, before.rows, { maxNodes: input.maxNodes });
    return { tree, capped: after.capped || before.capped, eventType: input.eventType };
  }),

  top: protectedProcedure.input(topInput).query(async ({ ctx, input, signal }) => {
    const sumOf = (rows: { value: number }[]) => rows.reduce((s, r) => s + r.value, 0);
    const set = await edge(loadStacks(ctx.api.telemetry, input, signal));
    if (!input.baseline)
      return {
        functions: topFunctions(set.rows, input.limit, input.by),
        sum: sumOf(set.rows),
        eventType: input.eventType,
      };
    const before = await edge(loadStacks(ctx.api.telemetry, { ...input, ...input.baseline }, signal));
    return {
      functions: topFunctionsDiff(set.rows, before.rows, input.limit, input.by),
      sum: sumOf(set.rows),
      baseSum: sumOf(before.rows),
      eventType: input.eventType,
    };
  }),

  targets: protectedProcedure
    .input(targetsInput)
    .query(({ ctx, input, signal }) => edge(loadTargets(ctx.api.telemetry, input, signal))),
});
