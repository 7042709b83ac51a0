/**
 * Records what agents report (resources frames) in the resource store. Each agent's frames
 * update its in-memory report at once; recording runs per agent, one pass at a time, and a
 * pass writes only the difference between the last recorded report and the newest one, so
 * a burst of deltas costs one pass and a full report after a reconnect costs almost nothing.
 */
import {
  diffResources,
  type HostInfo,
  isEmptyDelta,
  type ResourceReport,
  type ResourcesFrame,
} from '@zeroscope/wire/resources';
import type { Db } from '../resources/db';
import type { TelemetryStore } from '../storage/types';
import { type ResourceEvent, writeEvents } from './events';
import { AgentFrames, type FrameOutcome } from './frames';
import { emptyIdMaps, type IdMaps } from './ids';
import type { RecordCtx } from './record-context';
import { recordK8s } from './record-k8s';
import {
  closeMissingProcesses,
  recordContainers,
  recordHost,
  recordInterfaces,
  recordProcesses,
} from './record-node';

export interface RecorderOptions {
  db: Db;
  /** where change events go; none in unit tests that only look at the store */
  telemetry?: Pick<TelemetryStore, 'command'>;
  /** after each recording pass that changed something */
  onRecorded?: (agentKey: string, events: readonly ResourceEvent[]) => void;
  /** a failed pass (store unreachable) is retried after this long; default 5 s */
  retryMs?: number;
  log?: (line: string) => void;
}

export interface RecordedAgent {
  agentKey: string;
  agentId: number;
  hostId: number;
  report: ResourceReport;
}

interface AgentRec {
  agentId: number;
  hostId: number | undefined;
  recorded: ResourceReport | undefined;
  busy: Promise<void> | undefined;
  again: boolean;
  retry: NodeJS.Timeout | undefined;
}

const EMPTY: ResourceReport = {
  time: 0,
  host: {} as HostInfo,
  interfaces: [],
  processes: [],
  containers: [],
};

export class ResourceRecorder {
  readonly ids: IdMaps = emptyIdMaps();
  readonly stats = { frames: 0, full: 0, deltas: 0, gaps: 0, waiting: 0, passes: 0, errors: 0, events: 0 };
  private readonly frames = new AgentFrames();
  private readonly agents = new Map<string, AgentRec>();
  private closed = false;

  constructor(private readonly opts: RecorderOptions) {}

  /** Takes one resources frame of a connected agent; recording follows asynchronously. */
  onFrame(agentKey: string, agentId: number, frame: ResourcesFrame): FrameOutcome {
    this.stats.frames++;
    const outcome = this.frames.apply(agentKey, frame);
    this.stats[
      outcome === 'full' ? 'full' : outcome === 'delta' ? 'deltas' : outcome === 'gap' ? 'gaps' : 'waiting'
    ]++;
    if (outcome !== 'full' && outcome !== 'delta') return outcome;
    let a = this.agents.get(agentKey);
    if (!a) {
      a = {
        agentId,
        hostId: undefined,
        recorded: undefined,
        busy: undefined,
        again: false,
        retry: undefined,
      };
      this.agents.set(agentKey, a);
    }
    a.agentId = agentId;
    this.schedule(agentKey, a);
    return outcome;
  }

  /** Agents recorded at least once, with the report their ids were recorded from. */
  recorded(): RecordedAgent[] {
    const out: RecordedAgent[] = [];
    for (const [agentKey, a] of this.agents)
      if (a.recorded && a.hostId !== undefined)
        out.push({ agentKey, agentId: a.agentId, hostId: a.hostId, report: a.recorded });
    return out;
  }

  /** Resolves when no recording pass is running or queued (tests, shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      const busy = [...this.agents.values()].map((a) => a.busy).filter((b) => b !== undefined);
      if (busy.length === 0) return;
      await Promise.all(busy);
    }
  }

  /** Stops retries; a pass already running finishes (await idle()). */
  close(): void {
    this.closed = true;
    for (const a of this.agents.values()) clearTimeout(a.retry);
  }

  private schedule(agentKey: string, a: AgentRec): void {
    if (this.closed) return;
    clearTimeout(a.retry);
    a.retry = undefined;
    if (a.busy) {
      a.again = true;
      return;
    }
    a.busy = this.run(agentKey, a).finally(() => {
      a.busy = undefined;
    });
  }

  private async run(agentKey: string, a: AgentRec): Promise<void> {
    do {
      a.again = false;
      const next = this.frames.report(agentKey);
      if (!next) return;
      try {
        await this.record(agentKey, a, next);
      } catch (err) {
        this.stats.errors++;
        // Start the next pass from nothing: every write is an upsert, so redoing them is safe.
        a.recorded = undefined;
        this.opts.log?.(`resources of agent ${agentKey} not recorded: ${(err as Error).message}`);
        // Agents send only changes: without a retry a quiet node would stay unrecorded.
        a.retry = setTimeout(() => this.schedule(agentKey, a), this.opts.retryMs ?? 5000);
        a.retry.unref();
        return;
      }
    } while (a.again);
  }

  private async record(agentKey: string, a: AgentRec, next: ResourceReport): Promise<void> {
    const { db } = this.opts;
    const now = new Date();
    const prev = a.recorded;
    const d = diffResources(prev ?? EMPTY, next);
    const events: ResourceEvent[] = [];
    if (d.host || a.hostId === undefined) {
      const h = await recordHost(db, this.ids, agentKey, next.host, now);
      a.hostId = h.id;
      // a host re-learned after a restart is neither; a reported change of a known one is
      if (h.created || (prev && d.host))
        events.push({
          time: now.getTime() * 1000,
          resource_type: 'host',
          resource_id: h.id,
          event_type: h.created ? 'created' : 'changed',
          name: next.host.hostname,
          host_id: h.id,
          agent_id: a.agentId,
        });
    }
    const c: RecordCtx = { db, ids: this.ids, now, agentId: a.agentId, hostId: a.hostId!, events };
    if (d.interfaces) await recordInterfaces(c, d.interfaces);
    if (next.k8s && d.k8s)
      await recordK8s(c, next.k8s, d.k8s, { hostname: next.host.hostname, interfaces: next.interfaces });
    if (d.containers) await recordContainers(c, d.containers);
    if (d.processes) await recordProcesses(c, d.processes);
    if (!prev) await closeMissingProcesses(c, next.processes);
    a.recorded = next;
    this.stats.passes++;
    if (prev && isEmptyDelta(d)) return;
    this.stats.events += events.length;
    if (this.opts.telemetry)
      await writeEvents(this.opts.telemetry, events).catch((err: Error) => {
        this.opts.log?.(`resource events not written: ${err.message}`);
      });
    this.opts.onRecorded?.(agentKey, events);
  }
}
