/**
 * The live agent's profiler switch: starts continuous profiling when the API's config has
 * `profiling: true` (the default) and eBPF is allowed, stops it when the config turns it
 * off, and never takes the agent down when the kernel refuses (logged once, stays off).
 */

import type { ProfileRecord } from '@zeroscope/wire/profile';
import type { AgentConfig } from '@zeroscope/wire/protocol';
import { type Profiling, type ProfilingOptions, startProfiling } from '../profiling';

export interface ProfilingSwitchOptions extends Omit<ProfilingOptions, 'onRows' | 'log'> {
  /** false with --no-ebpf: profiling never starts */
  allowed: boolean;
  onRows(rows: ProfileRecord[]): void;
  log(line: string): void;
}

export class ProfilingSwitch {
  private running: Profiling | undefined;
  private failed: string | undefined;
  private rows = 0;

  constructor(private readonly opts: ProfilingSwitchOptions) {}

  get active(): boolean {
    return this.running !== undefined;
  }

  apply(config: Pick<AgentConfig, 'profiling'>): void {
    if (config.profiling && !this.running) this.begin();
    else if (!config.profiling && this.running) {
      this.end();
      this.opts.log('profiling: off (config)');
    }
  }

  private begin(): void {
    if (!this.opts.allowed || this.failed) return;
    const { allowed: _a, ...rest } = this.opts;
    try {
      this.running = startProfiling({
        ...rest,
        onRows: (rows) => {
          this.rows += rows.length;
          this.opts.onRows(rows);
        },
        log: this.opts.log,
      });
    } catch (e) {
      // a kernel without perf_event BPF stays without profiles; capture carries on
      this.failed = (e as Error).message.split('\n')[0];
      this.opts.log(`profiling: disabled: ${this.failed}`);
    }
  }

  private end(): void {
    const p = this.running;
    this.running = undefined;
    p?.stop();
  }

  stop(): void {
    this.end();
  }

  describe(): string {
    if (!this.running) return `profiling=${this.failed ? 'failed' : 'off'}`;
    const s = this.running.stats();
    return `profiling=on rows=${this.rows} samples=${s.samples} dropped_stacks=${s.droppedStacks} collect_ms=${s.lastCollectMs.toFixed(1)}`;
  }
}
