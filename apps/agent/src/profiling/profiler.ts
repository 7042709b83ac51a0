/**
 * The agent's continuous profiler: every interval (10 s) it drains the kernel counts
 * (@zeroscope/bpf/profile), symbolizes each distinct stack once, aggregates folded stacks
 * per process and event type, and hands the rows to `onRows` (the Sender in `run`).
 */
import { NO_BUDGET_STACK, type ProfileOptions, Profiler, type ProfileSnapshot } from '@zeroscope/bpf/profile';
import type { ProfileRecord } from '@zeroscope/wire/profile';
import { FoldedAggregator, foldStack } from './folded';
import { Symbolizer, type SymbolizerStats } from './symbolizer';

export interface ProfilingOptions extends Omit<ProfileOptions, 'log'> {
  onRows(rows: ProfileRecord[]): void;
  log?(line: string): void;
  /** default 10 s */
  intervalMs?: number;
  /** distinct (process, event, stack) rows per interval; default 20,000 */
  maxStacks?: number;
  /** tests: symbolize against another /proc */
  procRoot?: string;
}

export interface ProfilingStats {
  intervals: number;
  rows: number;
  samples: number;
  droppedStacks: number;
  missingStacks: number;
  handlerErrors: number;
  lastCollectMs: number;
  /** of which reading and clearing the kernel maps */
  lastDrainMs: number;
}

export interface Profiling {
  /** Drains and ships what was counted since the last interval, now. */
  flush(): ProfileRecord[];
  stats(): ProfilingStats & { kernel: ReturnType<Profiler['stats']>; symbols: SymbolizerStats };
  stop(): void;
}

const EVENT = { on: 'on-cpu', off: 'off-cpu' } as const;
/** off-CPU time the kernel did not walk a stack for (its per-CPU budget was spent) */
export const NO_BUDGET_FRAME = '[off-cpu: stack budget spent]';
/** nanoseconds one on-CPU sample stands for at 99 Hz */
const SAMPLE_NS = 1e9 / 99;

/** Symbolizes and folds one drained snapshot. Exported for tests and the benchmark. */
export function foldSnapshot(
  snap: ProfileSnapshot,
  sym: Symbolizer,
  agg: FoldedAggregator,
): { alive: Set<number>; comms: Map<number, string> } {
  sym.beginInterval();
  // (process, stack ids, kind) -> its folded stack and aggregation key, once per interval
  const folded = new Map<string, { stack: string; event: (typeof EVENT)[keyof typeof EVENT]; key: string }>();
  const alive = new Set<number>();
  const comms = new Map<number, string>();
  // heaviest first, on- and off-CPU alike (a sample stands for 1/99 s): the symbolizer's
  // per-interval budget goes to what dominates the profiles
  const weight = (s: (typeof snap.samples)[number]) => (s.kind === 'on' ? s.value * SAMPLE_NS : s.value);
  const order = [...snap.samples].sort((a, b) => weight(b) - weight(a));
  for (const s of order) {
    alive.add(s.tgid);
    if (s.pid === s.tgid || !comms.has(s.tgid)) comms.set(s.tgid, s.comm);
    const key = `${s.tgid}:${s.userStack}:${s.kernStack}:${s.kind}`;
    let f = folded.get(key);
    if (f === undefined) {
      const u = s.userStack >= 0 ? snap.userStacks.get(s.userStack) : undefined;
      const k = s.kernStack >= 0 ? snap.kernelStacks.get(s.kernStack) : undefined;
      const stack =
        s.userStack === NO_BUDGET_STACK
          ? NO_BUDGET_FRAME
          : foldStack(u ? sym.userFrames(s.tgid, u) : [], k ? sym.kernelFrames(k) : []);
      f = { stack, event: EVENT[s.kind], key: FoldedAggregator.key(s.tgid, EVENT[s.kind], stack) };
      folded.set(key, f);
    }
    agg.add(s.tgid, f.event, f.stack, s.value, f.key);
  }
  return { alive, comms };
}

export function startProfiling(opts: ProfilingOptions): Profiling {
  const log = opts.log ?? (() => {});
  const profiler = Profiler.start({ ...opts, log });
  const sym = new Symbolizer({ log, procRoot: opts.procRoot });
  const agg = new FoldedAggregator(opts.maxStacks ?? 20_000);
  const s: ProfilingStats = {
    intervals: 0,
    rows: 0,
    samples: 0,
    droppedStacks: 0,
    missingStacks: 0,
    handlerErrors: 0,
    lastCollectMs: 0,
    lastDrainMs: 0,
  };

  const flush = (): ProfileRecord[] => {
    const t0 = performance.now();
    const snap = profiler.collect();
    s.lastDrainMs = performance.now() - t0;
    const { alive, comms } = foldSnapshot(snap, sym, agg);
    s.samples += snap.samples.length;
    s.missingStacks += snap.missingStacks;
    s.droppedStacks += agg.dropped;
    agg.dropped = 0;
    agg.droppedValue = 0;
    const time = snap.startMs * 1000;
    const rows: ProfileRecord[] = agg.flush().map((r) => ({
      time,
      agent_id: 0,
      process_id: r.tgid,
      process_kname: sym.processName(r.tgid, comms.get(r.tgid) ?? ''),
      container_runtime_id: sym.containerId(r.tgid),
      event_type: r.eventType,
      stack: r.stack,
      value: r.value,
    }));
    sym.retain(alive);
    s.intervals++;
    s.rows += rows.length;
    s.lastCollectMs = performance.now() - t0;
    return rows;
  };

  const timer = setInterval(() => {
    try {
      const rows = flush();
      if (rows.length > 0) opts.onRows(rows);
    } catch (e) {
      if (s.handlerErrors++ === 0) log(`profiling: interval failed: ${(e as Error).message}`);
    }
  }, opts.intervalMs ?? 10_000);
  timer.unref();

  return {
    flush,
    stats: () => ({ ...s, kernel: profiler.stats(), symbols: { ...sym.stats } }),
    stop() {
      clearInterval(timer);
      try {
        const rows = flush();
        if (rows.length > 0) opts.onRows(rows);
      } catch {}
      profiler.stop();
    },
  };
}
