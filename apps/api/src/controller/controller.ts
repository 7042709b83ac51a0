/**
 * The resource controller: records agents' resources frames in the resource store, keeps
 * the enrichment index and the flow_tag dictionaries in step with it, and enriches ingest
 * batches with tag ids. One per agent link.
 */
import type { ColumnBatch } from '@zeroscope/wire/codec';
import type { ResourcesFrame } from '@zeroscope/wire/resources';
import type { Db } from '../resources/db';
import type { TelemetryStore } from '../storage/types';
import { type EnrichStats, enrichBatch } from './enrich';
import type { FrameOutcome } from './frames';
import { ResourceRecorder } from './recorder';
import { buildTagIndex, emptyTagIndex, type TagIndex } from './tag-index';
import { TagSync, type TagSyncStats } from './tag-sync';

export interface ControllerOptions {
  db: Db;
  telemetry: Pick<TelemetryStore, 'command' | 'query'>;
  /** dictionary sync period when something changed; default 5 s (freshness bound: 60 s) */
  syncIntervalMs?: number;
  /** retry delay of a recording pass that failed; default 5 s */
  retryMs?: number;
  log?: (line: string) => void;
}

export interface ControllerStats {
  recorder: ResourceRecorder['stats'];
  tagSync: TagSyncStats;
  enrich: EnrichStats;
  indexBuilds: number;
}

export interface ResourceController {
  onResources(agentKey: string, agentId: number, frame: ResourcesFrame): FrameOutcome;
  /** Fills the tag id columns of a decoded batch of agent `agentId` (see enrich.ts). */
  enrich(batch: ColumnBatch, agentId: number): ColumnBatch;
  index(): TagIndex;
  /** Waits for pending recording, rebuilds the index and syncs the dictionaries (tests). */
  settle(): Promise<void>;
  stats(): ControllerStats;
  close(): Promise<void>;
}

export function createResourceController(opts: ControllerOptions): ResourceController {
  let index = emptyTagIndex();
  let indexBuilds = 0;
  const enrichStats: EnrichStats = { rows: 0, resolved: 0 };
  const tagSync = new TagSync({
    db: opts.db,
    telemetry: opts.telemetry,
    intervalMs: opts.syncIntervalMs,
    log: opts.log,
  });
  const rebuild = () => {
    index = buildTagIndex(recorder.recorded(), recorder.ids);
    indexBuilds++;
  };
  const recorder = new ResourceRecorder({
    db: opts.db,
    telemetry: opts.telemetry,
    retryMs: opts.retryMs,
    log: opts.log,
    onRecorded: () => {
      rebuild();
      tagSync.markDirty();
    },
  });
  tagSync.start();
  return {
    onResources: (agentKey, agentId, frame) => recorder.onFrame(agentKey, agentId, frame),
    enrich: (batch, agentId) => enrichBatch(batch, index, agentId, enrichStats),
    index: () => index,
    async settle() {
      await recorder.idle();
      rebuild();
      await tagSync.sync();
    },
    stats: () => ({
      recorder: { ...recorder.stats },
      tagSync: { ...tagSync.stats },
      enrich: { ...enrichStats },
      indexBuilds,
    }),
    async close() {
      recorder.close();
      await recorder.idle();
      await tagSync.stop();
    },
  };
}
