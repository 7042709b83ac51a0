/**
 * The profiler program set (profile.bpf.c): loads it with the config, attaches the
 * sampling program to a cpu-clock perf event on every CPU and sched_switch (tp_btf, else
 * raw_tp) for off-CPU time, and drains the counts by generation. `stop()` is the one
 * teardown path.
 */
import { BpfError } from '../errors';
import { native, objectPath } from '../native';
import { BpfObject } from '../object';
import { probeFeatures } from '../probe';
import { applyProfileConfig, type ProfileConfig } from './config';
import { drainCounts, readStacks } from './drain';
import { KeyDecoder, type RawSample } from './keys';

export interface ProfileOptions extends ProfileConfig {
  log?(line: string): void;
}

/** index order of enum zs_prof_stat in profile.h */
const STAT_NAMES = [
  'samples',
  'noUserStack',
  'noKernelStack',
  'countFull',
  'switches',
  'sleepFull',
  'stackBudget',
] as const;
/** stack id of off-CPU time whose stacks were not walked (ZS_PROF_NO_BUDGET in profile.h) */
export const NO_BUDGET_STACK = -28;
export type ProfileKernelStats = Record<(typeof STAT_NAMES)[number], number>;

export interface ProfileSnapshot {
  /** start and end of the drained generation, ms since the epoch */
  startMs: number;
  endMs: number;
  samples: RawSample[];
  /** stack id -> instruction pointers, innermost first */
  userStacks: Map<number, number[]>;
  /** kernel stacks as the low 48 bits of each address (-1: not kernel text) */
  kernelStacks: Map<number, number[]>;
  /** stack ids referenced by a sample but gone from the stack map */
  missingStacks: number;
}

export class Profiler {
  private gen = 0;
  private lastDrain = Date.now();
  private stopped = false;

  private constructor(
    private readonly obj: BpfObject,
    private readonly keys: KeyDecoder,
    readonly cpus: number[],
    readonly offCpu: boolean,
  ) {}

  static start(opts: ProfileOptions = {}): Profiler {
    const log = opts.log ?? (() => {});
    const hooks = probeFeatures();
    if (!hooks.perf_event.enabled)
      throw new BpfError('profile', 1, `perf_event programs unavailable: ${hooks.perf_event.reason}`);
    const variant = hooks.tp_btf.enabled ? 'btf' : hooks.raw_tp.enabled ? 'raw' : undefined;
    const offCpu = opts.offCpu !== false && variant !== undefined;
    if (opts.offCpu !== false && !offCpu) log('profile: off-CPU disabled (no tp_btf or raw_tp)');
    const obj = BpfObject.open(objectPath('profile'));
    try {
      applyProfileConfig(obj, opts);
      obj.setAutoload('offcpu_btf', offCpu && variant === 'btf');
      obj.setAutoload('offcpu_raw', offCpu && variant === 'raw');
      obj.load();
      const cpus: number[] = [];
      const n = native().numCpus();
      let lastErr: unknown;
      for (let cpu = 0; cpu < n; cpu++) {
        try {
          obj.attach('profile_cpu', { kind: 'perf_event', cpu, frequency: opts.frequency ?? 99 });
          cpus.push(cpu);
        } catch (e) {
          lastErr = e; // offline CPUs refuse perf_event_open (ENODEV)
        }
      }
      if (cpus.length === 0) throw BpfError.from('attach', lastErr);
      if (offCpu) obj.attach(`offcpu_${variant}`);
      log(
        `profile: sampling ${cpus.length} CPUs at ${opts.frequency ?? 99} Hz, off-CPU ${offCpu ? 'on' : 'off'}`,
      );
      return new Profiler(obj, new KeyDecoder(obj), cpus, offCpu);
    } catch (e) {
      obj.dispose();
      throw BpfError.from('profile', e);
    }
  }

  /**
   * Moves counting to the other generation, then reads and deletes everything counted in
   * the previous one, with the stacks it references.
   */
  collect(): ProfileSnapshot {
    if (this.stopped) throw new BpfError('profile', 9, 'profiler stopped');
    const old = this.gen;
    this.gen ^= 1;
    const key = Buffer.alloc(4);
    const val = Buffer.alloc(4);
    val.writeUInt32LE(this.gen);
    this.obj.map('generation').update(key, val);
    const endMs = Date.now();
    const startMs = this.lastDrain;
    this.lastDrain = endMs;

    const keep = new Set<number>();
    const samples: RawSample[] = [];
    drainCounts(this.obj.map('oncpu'), this.keys, 'on', old, samples, keep);
    if (this.offCpu) drainCounts(this.obj.map('offcpu'), this.keys, 'off', old, samples, keep);
    const stacks = readStacks(this.obj.map('stacks'), samples, keep);
    return { startMs, endMs, samples, ...stacks };
  }

  stats(): ProfileKernelStats {
    const m = this.obj.map('stats');
    const out = {} as ProfileKernelStats;
    STAT_NAMES.forEach((name, i) => {
      out[name] = this.stopped ? 0 : Number(m.sumPerCpuU64(i));
    });
    return out;
  }

  stop(): void {
    if (this.stopped) return;
    this.obj.dispose();
    this.stopped = true;
  }
}
