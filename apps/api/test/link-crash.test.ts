/**
 * Acked data survives an API crash and resends are not stored twice: the real API runs in a
 * child process, a real Sender streams request logs, the API is SIGKILLed mid-ingest and
 * restarted on the same data directory, and every produced record is stored exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sender } from '@zeroscope/agent/sender';
import { sampleRequestLogs } from '@zeroscope/wire/sample';
import { afterAll, describe, expect, it } from 'vitest';
import { openTelemetryStore } from '../src/storage/telemetry';
import { AGENT_TOKEN, type ApiProcess, freePort, startApi, waitFor } from './link-helpers';

describe('agent link across an API crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zs-crash-'));
  let api: ApiProcess | undefined;
  afterAll(() => {
    api?.proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores every record exactly once when the API is killed and restarted mid-stream', async () => {
    const port = await freePort();
    api = await startApi(dir, port);
    const total = 60_000;
    const records = sampleRequestLogs(total, 21);
    const sender = new Sender({
      url: `ws://127.0.0.1:${port}`,
      token: AGENT_TOKEN,
      hostname: 'crash-test-node',
      batchRows: 500,
      batchMs: 50,
      maxInflight: 8,
      minBackoffMs: 50,
      maxBackoffMs: 500,
    });
    let produced = 0;
    const produce = async (upTo: number) => {
      while (produced < upTo) {
        for (const r of records.slice(produced, produced + 1000))
          sender.enqueue({ kind: 'request_log', ...r });
        produced = Math.min(upTo, produced + 1000);
        await new Promise((r) => setTimeout(r, 5));
      }
    };

    await produce(25_000);
    await waitFor(() => sender.stats().ackedRows >= 10_000, 60_000, '10k acked rows');
    // Kill while batches are in flight: some are written but not yet acked.
    await produce(30_000);
    api.proc.kill('SIGKILL');
    expect(await api.exited).toBe('SIGKILL');
    const ackedBeforeCrash = sender.stats().ackedRows;
    expect(ackedBeforeCrash).toBeLessThan(30_000);

    await produce(40_000); // the agent keeps producing while the API is down
    api = await startApi(dir, port);
    await produce(total);
    await sender.flush();
    const stats = sender.stats();
    await sender.close();
    expect(stats.connects).toBeGreaterThanOrEqual(2);
    expect(stats.resentBatches).toBeGreaterThan(0);
    expect(stats.droppedRows).toBe(0);
    expect(stats.ackedRows).toBe(total);

    api.proc.kill('SIGTERM');
    await api.exited;
    api = undefined;
    const store = await openTelemetryStore({ dataDir: dir, clickhouseUrl: undefined });
    try {
      const [row] = await store.query<{ n: number; u: number }>(
        'SELECT count() AS n, uniqExact(syscall_trace_id_request) AS u FROM flow_log.l7_flow_log',
      );
      expect(row).toEqual({ n: total, u: total });
    } finally {
      await store.close();
    }
  }, 240_000);
});
