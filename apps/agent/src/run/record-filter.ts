/**
 * What the agent config says to keep of the request logs: enabled protocols and a sampling
 * rate. Deterministic sampling keeps exactly `sampling` of the records; drops are counted.
 */
import type { RequestLog } from '@zeroscope/wire';
import type { AgentConfig } from '@zeroscope/wire/protocol';

export class RecordFilter {
  dropped = 0;
  private protocols: Set<string> | undefined;
  private rate = 1;
  private acc = 0;

  apply(config: Pick<AgentConfig, 'protocols' | 'sampling'>): void {
    this.protocols = config.protocols.length > 0 ? new Set(config.protocols) : undefined;
    this.rate = Math.min(1, Math.max(0, config.sampling));
  }

  keep(r: Pick<RequestLog, 'l7_protocol'>): boolean {
    if (this.protocols && !this.protocols.has(r.l7_protocol)) {
      this.dropped++;
      return false;
    }
    if (this.rate >= 1) return true;
    this.acc += this.rate;
    if (this.acc >= 1) {
      this.acc -= 1;
      return true;
    }
    this.dropped++;
    return false;
  }
}
