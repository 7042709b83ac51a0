/**
 * Self-protection (PRODUCT.md §2.1): the agent's CPU and memory budgets. Checked once a
 * second; over either budget, socket capture is paused for a cool-down, so the host's
 * traffic stops paying for probes and the agent's backlog drains, and then resumed. A
 * budget still exceeded right after a resume doubles the next cool-down (up to a minute);
 * a calm minute resets it. What was shed is counted, never silent.
 */

export interface GuardOptions {
  /** CPU budget as a fraction of one core (0.5 = 50%); 0 = none */
  maxCpu: number;
  /** resident memory budget in bytes; 0 = none */
  maxRss: number;
  /** first cool-down; default 5 s */
  coolMs?: number;
  /** longest cool-down; default 60 s */
  maxCoolMs?: number;
  /** no checks this long after start (loading programs and compiling code is no overload); default 10 s */
  graceMs?: number;
  /** clock in ms (tests) */
  now?: () => number;
  /** this process's CPU time in µs (tests) */
  cpuUs?: () => number;
  /** this process's resident memory in bytes (tests) */
  rss?: () => number;
}

export type GuardAction = { shed: true; reason: string; forMs: number } | { shed: false };

const processCpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

export class ResourceGuard {
  private readonly now: () => number;
  private readonly cpuUs: () => number;
  private readonly rss: () => number;
  private readonly coolMs: number;
  private readonly maxCoolMs: number;
  private lastAt: number;
  private lastCpu: number;
  private until = 0;
  private cool: number;
  private calmSince: number;
  private readonly checksFrom: number;
  /** times capture was paused */
  sheds = 0;
  /** milliseconds capture spent paused */
  shedMs = 0;
  shedding = false;

  constructor(private readonly opts: GuardOptions) {
    this.now = opts.now ?? Date.now;
    this.cpuUs = opts.cpuUs ?? processCpuUs;
    this.rss = opts.rss ?? (() => process.memoryUsage.rss());
    this.coolMs = opts.coolMs ?? 5000;
    this.maxCoolMs = opts.maxCoolMs ?? 60_000;
    this.cool = this.coolMs;
    this.lastAt = this.now();
    this.lastCpu = this.cpuUs();
    this.calmSince = this.lastAt;
    this.checksFrom = this.lastAt + (opts.graceMs ?? 10_000);
  }

  get enabled(): boolean {
    return this.opts.maxCpu > 0 || this.opts.maxRss > 0;
  }

  /** What was over budget since the last check, or undefined. */
  private overBudget(cpuShare: number): string | undefined {
    if (this.opts.maxCpu > 0 && cpuShare > this.opts.maxCpu)
      return `cpu ${(100 * cpuShare).toFixed(0)}% of a core > budget ${(100 * this.opts.maxCpu).toFixed(0)}%`;
    const rss = this.rss();
    if (this.opts.maxRss > 0 && rss > this.opts.maxRss)
      return `memory ${(rss / 2 ** 20).toFixed(0)} MiB > budget ${(this.opts.maxRss / 2 ** 20).toFixed(0)} MiB`;
    return undefined;
  }

  /** Call about once a second; returns a change to make, or undefined. */
  check(): GuardAction | undefined {
    const at = this.now();
    const cpu = this.cpuUs();
    const share = at > this.lastAt ? (cpu - this.lastCpu) / 1000 / (at - this.lastAt) : 0;
    const elapsed = at - this.lastAt;
    this.lastAt = at;
    this.lastCpu = cpu;
    if (!this.enabled || at < this.checksFrom) return undefined;
    if (this.shedding) {
      this.shedMs += elapsed;
      if (at < this.until) return undefined;
      this.shedding = false;
      this.calmSince = at;
      return { shed: false };
    }
    const reason = this.overBudget(share);
    if (!reason) {
      if (at - this.calmSince >= this.maxCoolMs) this.cool = this.coolMs;
      return undefined;
    }
    // over again soon after a resume: the cool-down was too short
    if (at - this.calmSince < this.maxCoolMs && this.sheds > 0)
      this.cool = Math.min(this.maxCoolMs, this.cool * 2);
    this.shedding = true;
    this.sheds++;
    this.until = at + this.cool;
    return { shed: true, reason, forMs: this.cool };
  }
}
