/**
 * Metrics aggregated in the agent (PRODUCT.md §2.4): every request log feeds `application`
 * (server side) and `application_map` (client -> server edge), every flow log feeds
 * `network` and `network_map`, each at 1 s and 1 m. A window is emitted once it ended and
 * a grace period passed (records arrive when the response does); anything later still
 * counts, as an extra row for the same window. Time is passed in, so replay and tests are
 * deterministic; the live agent ticks with the wall clock.
 */
import {
  METRIC_KEY_COLUMNS,
  METRIC_VALUE_COLUMNS,
  type MetricKind,
  type MetricRecord,
  type MetricResolution,
  type MetricTable,
  RESOLUTION_US,
} from '@zeroscope/wire/metrics';
import type { FlowLog, RequestLog } from '@zeroscope/wire/records';
import { addFlow, addRequest } from './update';
import { WindowTable } from './window-table';

export interface MetricsAggregatorOptions {
  emit: (row: MetricRecord) => void;
  /** how long after a window ends it is emitted, per resolution (µs) */
  graceUs?: Partial<Record<MetricResolution, number>>;
  /** open keys per table and resolution before new keys are dropped (counted) */
  maxKeys?: number;
}

export interface MetricsStats {
  requestLogs: number;
  flowLogs: number;
  rows: number;
  /** records a table could not aggregate because its key limit was reached */
  dropped: number;
  openKeys: number;
}

const DEFAULT_GRACE: Record<MetricResolution, number> = { '1s': 2_000_000, '1m': 5_000_000 };

export class MetricsAggregator {
  private readonly tables: WindowTable[] = [];
  private readonly app: WindowTable[] = [];
  private readonly net: WindowTable[] = [];
  private readonly grace: Record<MetricResolution, number>;
  private readonly emit: (row: MetricRecord) => void;
  private requestLogs = 0;
  private flowLogs = 0;
  private rows = 0;

  constructor(opts: MetricsAggregatorOptions) {
    this.emit = opts.emit;
    this.grace = { ...DEFAULT_GRACE, ...opts.graceUs };
    const maxKeys = opts.maxKeys ?? 100_000;
    for (const table of ['application', 'application_map', 'network', 'network_map'] as MetricTable[]) {
      for (const res of ['1s', '1m'] as MetricResolution[]) {
        const t = new WindowTable(
          `${table}_${res}` as MetricKind,
          METRIC_KEY_COLUMNS[table].filter((c) => c.name !== 'start_time'),
          METRIC_VALUE_COLUMNS[table],
          RESOLUTION_US[res],
          maxKeys,
        );
        this.tables.push(t);
        (table.startsWith('application') ? this.app : this.net).push(t);
      }
    }
  }

  /** A request log, windowed by its start time (like `flow_log.l7_flow_log` is). */
  onRecord(r: RequestLog): void {
    this.requestLogs++;
    const rec = r as unknown as Record<string, unknown>;
    for (const t of this.app) {
      const a = t.acc(r.start_time, rec);
      if (a) addRequest(a.v, r);
    }
  }

  /** A flow log interval, windowed by its end (the moment its deltas were reported). */
  onFlowLog(f: FlowLog): void {
    this.flowLogs++;
    const rec = f as unknown as Record<string, unknown>;
    for (const t of this.net) {
      const a = t.acc(f.end_time, rec);
      if (a) addFlow(a.v, f);
    }
  }

  /** Emits the windows that closed (end + grace <= now, µs); returns rows emitted. */
  tick(nowUs: number): number {
    let n = 0;
    for (const t of this.tables) {
      const res: MetricResolution = t.widthUs === RESOLUTION_US['1s'] ? '1s' : '1m';
      n += t.drain(nowUs - this.grace[res], this.emit);
    }
    this.rows += n;
    return n;
  }

  /** Emits every open window (shutdown, end of a replay). */
  flush(): number {
    let n = 0;
    for (const t of this.tables) n += t.drain(Number.POSITIVE_INFINITY, this.emit);
    this.rows += n;
    return n;
  }

  get stats(): MetricsStats {
    let dropped = 0;
    let openKeys = 0;
    for (const t of this.tables) {
      dropped += t.dropped;
      openKeys += t.openKeys;
    }
    return { requestLogs: this.requestLogs, flowLogs: this.flowLogs, rows: this.rows, dropped, openKeys };
  }
}

export function createMetricsAggregator(opts: MetricsAggregatorOptions): MetricsAggregator {
  return new MetricsAggregator(opts);
}
