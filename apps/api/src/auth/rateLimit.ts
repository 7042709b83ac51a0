/**
 * Failed-login limiter per client IP: after `max` failures inside `windowMs` the IP is refused
 * until the window (which starts at its first failure) ends. In memory: one API process.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    readonly max = 10,
    readonly windowMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `ip` may try again, or 0 when it may try now. */
  retryAfter(ip: string): number {
    const e = this.failures.get(ip);
    if (!e) return 0;
    const left = e.since + this.windowMs - this.now();
    if (left <= 0) {
      this.failures.delete(ip);
      return 0;
    }
    return e.count >= this.max ? left : 0;
  }

  fail(ip: string): void {
    const t = this.now();
    const e = this.failures.get(ip);
    if (!e || e.since + this.windowMs <= t) this.failures.set(ip, { count: 1, since: t });
    else e.count++;
    if (this.failures.size > 10_000) this.prune(t);
  }

  succeed(ip: string): void {
    this.failures.delete(ip);
  }

  private prune(t: number): void {
    for (const [ip, e] of this.failures) if (e.since + this.windowMs <= t) this.failures.delete(ip);
  }
}
