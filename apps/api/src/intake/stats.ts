/** Counters of the intake endpoints (accepted items and rejected requests by code). */
import type { IntakeErrorCode } from './errors';

export interface IntakeCounters {
  requests: number;
  accepted: Record<string, number>;
  rejected: Partial<Record<IntakeErrorCode | 'unauthorized', number>>;
}

export class IntakeStats {
  private readonly c: IntakeCounters = { requests: 0, accepted: {}, rejected: {} };

  request(): void {
    this.c.requests++;
  }

  accept(what: string, n: number): void {
    this.c.accepted[what] = (this.c.accepted[what] ?? 0) + n;
  }

  reject(code: IntakeErrorCode): void {
    this.c.rejected[code] = (this.c.rejected[code] ?? 0) + 1;
  }

  snapshot(): IntakeCounters {
    return { requests: this.c.requests, accepted: { ...this.c.accepted }, rejected: { ...this.c.rejected } };
  }
}
