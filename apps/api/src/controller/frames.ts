/**
 * Per-agent resource state from `resources` frames (packages/wire resources-model.ts): a full
 * report replaces the state; a delta applies only when its seq is the previous one plus one.
 * After a gap the agent's deltas are ignored until its next full report (sent on reconnect).
 */
import { applyResourceDelta, type ResourceReport, type ResourcesFrame } from '@zeroscope/wire/resources';

export type FrameOutcome = 'full' | 'delta' | 'gap' | 'waiting';

interface Tracked {
  report: ResourceReport | undefined;
  seq: number;
}

export class AgentFrames {
  private readonly agents = new Map<string, Tracked>();

  /** Applies a frame; the agent's current report is then `report(agentKey)`. */
  apply(agentKey: string, frame: ResourcesFrame): FrameOutcome {
    let t = this.agents.get(agentKey);
    if (!t) {
      t = { report: undefined, seq: -1 };
      this.agents.set(agentKey, t);
    }
    if (frame.full) {
      t.report = frame.report;
      t.seq = frame.seq;
      return 'full';
    }
    if (!t.report) return 'waiting';
    if (frame.seq !== t.seq + 1) {
      // Out of step: forget the state so later deltas are not applied onto a wrong base.
      t.report = undefined;
      t.seq = -1;
      return 'gap';
    }
    t.report = applyResourceDelta(t.report, frame.delta);
    t.seq = frame.seq;
    return 'delta';
  }

  report(agentKey: string): ResourceReport | undefined {
    return this.agents.get(agentKey)?.report;
  }

  forget(agentKey: string): void {
    this.agents.delete(agentKey);
  }
}
