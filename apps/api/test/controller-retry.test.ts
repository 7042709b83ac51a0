/**
 * A recording pass that fails (resource store unreachable) is retried by itself: agents send
 * only changes, so a quiet node would otherwise stay unrecorded. The store is real SQLite; the
 * outage is one injected failure of its host upsert.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResourceController } from '../src/controller/controller';
import type { Db } from '../src/resources/db';
import { openResourceStore, type ResourceStore } from '../src/resources/store';
import { openTelemetryStore, type TelemetryStore } from '../src/storage/telemetry';
import { full, nodeReport } from './controller-fixtures';
import { waitFor } from './link-helpers';

/** The real client, whose host.upsert fails `times` times first. */
function failingHostUpsert(db: Db, times: number): Db {
  let left = times;
  const host = new Proxy(db.host, {
    get(target, prop, receiver) {
      if (prop === 'upsert' && left > 0)
        return () => {
          left--;
          return Promise.reject(new Error('connection refused (injected)'));
        };
      return Reflect.get(target, prop, receiver);
    },
  });
  return new Proxy(db, { get: (t, p, r) => (p === 'host' ? host : Reflect.get(t, p, r)) });
}

describe('resource recording after a store outage', () => {
  let dir: string;
  let store: ResourceStore;
  let telemetry: TelemetryStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zs-ctl-retry-'));
    store = await openResourceStore({ dataDir: dir, mysqlUrl: undefined });
    telemetry = await openTelemetryStore({ dataDir: dir, clickhouseUrl: undefined });
  }, 120_000);

  afterAll(async () => {
    await telemetry?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('retries the failed pass without a new frame from the agent', async () => {
    const lines: string[] = [];
    const ctl = createResourceController({
      db: failingHostUpsert(store.db, 2),
      telemetry,
      retryMs: 50,
      log: (l) => lines.push(l),
    });
    try {
      ctl.onResources('agent-q', 5, full(nodeReport()));
      await waitFor(() => ctl.stats().recorder.passes === 1, 10_000, 'a successful pass');
      expect(ctl.stats().recorder.errors).toBe(2);
      expect(lines.filter((l) => l.includes('injected'))).toHaveLength(2);
      expect(await store.db.process.count()).toBe(3);
      await ctl.settle();
      expect(ctl.index().agents.get(5)?.byPid.has(100)).toBe(true);
    } finally {
      await ctl.close();
    }
  });
});
