/** Writes profiler options into profile.bpf.c's `const volatile` config and map sizes. */
import { BpfError } from '../errors';
import type { BpfObject } from '../object';

export interface ProfileConfig {
  /** process never sampled (the agent itself); default: this process */
  selfPid?: number;
  /** sampling frequency per CPU; default 99 Hz (off the timer tick's multiples) */
  frequency?: number;
  /** off-CPU sampling from sched_switch; default true */
  offCpu?: boolean;
  /** off-CPU intervals shorter than this are dropped in the kernel; default 1 ms */
  offCpuMinNs?: number;
  /**
   * off-CPU stack walks per second per CPU (0: no limit); past it the blocked time still
   * counts, under a placeholder frame, and the kernel stat `stackBudget` counts it. Bounds
   * the kernel cost on hosts that switch tens of thousands of times a second. Default 2000.
   */
  offCpuStacksPerSec?: number;
  /** skip kernel threads (kworkers, ksoftirqd) on-CPU; default false */
  skipKernelThreads?: boolean;
  /** distinct (thread, stacks) keys per generation and kind; default 8192 */
  maxKeys?: number;
  /** distinct stacks held at once; default 8192 */
  maxStacks?: number;
}

export function applyProfileConfig(obj: BpfObject, cfg: ProfileConfig): void {
  const freq = cfg.frequency ?? 99;
  if (!Number.isInteger(freq) || freq < 1 || freq > 10_000)
    throw new BpfError('config', 22, 'profile frequency must be 1..10000 Hz');
  const keys = cfg.maxKeys ?? 8192;
  const stacks = cfg.maxStacks ?? 8192;
  if (keys < 16 || stacks < 16) throw new BpfError('config', 22, 'maxKeys and maxStacks must be >= 16');
  obj.setU32('cfg_self_pid', cfg.selfPid ?? process.pid);
  obj.setU64('cfg_offcpu_min_ns', BigInt(Math.max(0, Math.floor(cfg.offCpuMinNs ?? 1_000_000))));
  obj.setU8('cfg_skip_kthreads', cfg.skipKernelThreads ? 1 : 0);
  const budget = cfg.offCpuStacksPerSec ?? 2000;
  if (!Number.isInteger(budget) || budget < 0 || budget > 1_000_000)
    throw new BpfError('config', 22, 'offCpuStacksPerSec must be 0..1000000');
  obj.setU32('cfg_offcpu_stack_budget', budget);
  // two generations live at once while one is drained
  obj.setMapSize('oncpu', keys * 2);
  obj.setMapSize('offcpu', keys * 2);
  obj.setMapSize('stacks', stacks);
}
