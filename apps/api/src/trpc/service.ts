/**
 * Service views for the UI: the list of services with RED, and one service's dashboard
 * (RED over time, endpoints, instances, upstream/downstream dependencies, errors).
 */
import { protectedProcedure, router } from './init';
import { runText } from './map';
import { endpointsText, instancesText } from './mapQueries';
import { endpointsOf } from './mapShape';
import { seriesStep } from './networkQueries';
import {
  callersText,
  dependencyText,
  errorsText,
  serviceInput,
  serviceSeriesText,
  servicesInput,
  servicesText,
} from './serviceQueries';
import { errorsOf, rankedOf, redSeriesOf, withCallers } from './serviceShape';

export const serviceRouter = router({
  list: protectedProcedure.input(servicesInput).query(async ({ ctx, input, signal }) => {
    const [served, calling] = await Promise.all([
      runText(ctx, servicesText(input), input.start, input.end, undefined, signal),
      runText(ctx, callersText(input), input.start, input.end, undefined, signal),
    ]);
    const needle = input.search?.trim().toLowerCase();
    const services = withCallers(rankedOf(served), rankedOf(calling)).filter(
      (s) => !needle || s.name.toLowerCase().includes(needle),
    );
    return { seconds: input.end - input.start, services };
  }),

  get: protectedProcedure.input(serviceInput).query(async ({ ctx, input, signal }) => {
    const run = (text: string, max?: number) => runText(ctx, text, input.start, input.end, max, signal);
    const node = { ...input, groupBy: 'service' as const, node: input.service };
    const [series, endpoints, instances, upstream, downstream, errors] = await Promise.all([
      run(serviceSeriesText(input), 10_000),
      run(endpointsText(node)),
      run(instancesText(node)),
      run(dependencyText(input, 'upstream')),
      run(dependencyText(input, 'downstream')),
      run(errorsText(input)),
    ]);
    return {
      seconds: input.end - input.start,
      step: seriesStep(input.start, input.end),
      series: redSeriesOf(series),
      endpoints: endpointsOf(endpoints),
      instances: rankedOf(instances),
      upstream: rankedOf(upstream),
      downstream: rankedOf(downstream),
      errors: errorsOf(errors),
    };
  }),
});
