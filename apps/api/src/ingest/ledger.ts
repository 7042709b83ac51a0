/**
 * Exactly-once ingest: every agent batch is written with (agent_id, _epoch, _batch), and the
 * ledger remembers which batch ids are already stored. After an API restart it learns them
 * back from ClickHouse the first time an agent epoch shows up, so a batch that was written
 * but not acked before a crash is acked again instead of being stored twice.
 */
import { METRIC_KINDS } from '@zeroscope/wire/metrics';
import type { BatchKind } from '@zeroscope/wire/protocol';
import type { TelemetryStore } from '../storage/types';

export const TABLES: Record<BatchKind, string> = {
  request_log: 'flow_log.l7_flow_log',
  flow_log: 'flow_log.l4_flow_log',
  profile: 'profile.in_process',
  ...Object.fromEntries(METRIC_KINDS.map((k) => [k, `flow_metrics.${k}`])),
} as Record<BatchKind, string>;

/** batch ids kept per agent epoch; resends are only ever of recent, unacked batches */
const KEEP = 50_000;

export class Ledger {
  private readonly stored = new Map<string, Set<number>>();
  private readonly loading = new Map<string, Promise<void>>();
  private readonly inflight = new Map<string, Promise<boolean>>();

  constructor(private readonly store: Pick<TelemetryStore, 'query'>) {}

  /**
   * Runs `write` unless this batch is already stored or being stored; resolves true when
   * this call wrote it, false when it was a duplicate.
   */
  async once(agentId: number, epoch: number, batchId: number, write: () => Promise<void>): Promise<boolean> {
    const ek = `${agentId}:${epoch}`;
    let load = this.loading.get(ek);
    if (!load) {
      load = this.load(ek, agentId, epoch, batchId);
      this.loading.set(ek, load);
      load.catch(() => this.loading.delete(ek));
    }
    await load;
    const key = `${ek}:${batchId}`;
    const running = this.inflight.get(key);
    if (running) return running.then(() => false);
    if (this.stored.get(ek)?.has(batchId)) return false;
    const p = write().then(() => {
      this.remember(ek, batchId);
      return true;
    });
    this.inflight.set(key, p);
    try {
      return await p;
    } finally {
      this.inflight.delete(key);
    }
  }

  private remember(ek: string, batchId: number): void {
    let set = this.stored.get(ek);
    if (!set) {
      set = new Set();
      this.stored.set(ek, set);
    }
    set.add(batchId);
    if (set.size > KEEP) set.delete(set.values().next().value!);
  }

  private async load(ek: string, agentId: number, epoch: number, fromBatch: number): Promise<void> {
    for (const table of Object.values(TABLES)) {
      const rows = await this.store.query<{ b: number }>(
        `SELECT DISTINCT _batch AS b FROM ${table}
         WHERE agent_id = {a:UInt32} AND _epoch = {e:UInt64} AND _batch >= {b:UInt64}`,
        { a: agentId, e: epoch, b: fromBatch },
      );
      for (const r of rows) this.remember(ek, Number(r.b));
    }
  }
}
