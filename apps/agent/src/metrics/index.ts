export {
  createMetricsAggregator,
  MetricsAggregator,
  type MetricsAggregatorOptions,
  type MetricsStats,
} from './aggregator';
