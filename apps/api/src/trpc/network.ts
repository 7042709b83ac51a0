/**
 * The network view for the UI (PRODUCT.md §2.9 "Network: flow logs and L4 metrics per
 * edge"): every client -> server edge with its L4 totals, one edge over time, and the flow
 * logs behind an edge.
 */
import { protectedProcedure, router } from './init';
import { runText } from './map';
import {
  edgeInput,
  edgeSeriesText,
  flowsInput,
  flowsText,
  networkEdgesText,
  networkInput,
  seriesStep,
} from './networkQueries';
import { flowsOf, networkEdgesOf, seriesOf } from './networkShape';

export const networkRouter = router({
  edges: protectedProcedure.input(networkInput).query(async ({ ctx, input, signal }) => {
    const rows = await runText(ctx, networkEdgesText(input), input.start, input.end, undefined, signal);
    return { seconds: input.end - input.start, edges: networkEdgesOf(rows) };
  }),

  edge: protectedProcedure.input(edgeInput).query(async ({ ctx, input, signal }) => {
    const rows = await runText(ctx, edgeSeriesText(input), input.start, input.end, undefined, signal);
    return { step: seriesStep(input.start, input.end), points: seriesOf(rows) };
  }),

  flows: protectedProcedure.input(flowsInput).query(async ({ ctx, input, signal }) => {
    const rows = await runText(ctx, flowsText(input), input.start, input.end, input.limit, signal);
    return { rows: flowsOf(rows) };
  }),
});
