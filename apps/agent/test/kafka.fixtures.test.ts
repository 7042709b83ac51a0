/** Kafka parser over DeepFlow's kafka fixtures through the replay pipeline. */
import { describe, expect, it } from 'vitest';
import { fixturesAvailable, readResult, replayFixture } from './fixture-helpers';

const NAMES = [
  '00-produce-v2',
  '00-produce-v7-sw8',
  '00-produce-v9',
  '01-fetch-v12-ok',
  '01-fetch-v12-unknown',
  '11-join-group-v7',
  '13-leave-group-v4',
  '14-sync-group-v5',
  '18-api-versions-v3',
  'mixed-with-unsupported',
];

describe.skipIf(!fixturesAvailable)('Kafka DeepFlow fixtures', () => {
  for (const name of NAMES) {
    it(`${name}: api, correlation id, topic and status match DeepFlow`, async () => {
      // 01-fetch-v12-unknown answers 13 s later: a long window keeps it paired
      const logs = (await replayFixture(`kafka/${name}.pcap`, { timeoutUs: 60_000_000 })).filter(
        (l) => l.l7_protocol === 'kafka',
      );
      const expected = await readResult(`kafka/${name}.result`);
      const requests = expected.filter((e) => e.msg_type === 'Request');
      expect(logs).toHaveLength(requests.length);
      for (const req of requests) {
        const log = logs.find((l) => l.request_id === req.correlation_id);
        expect(log?.request_type).toBe(req.api_key);
        expect(log?.version).toBe(String(req.api_version));
        if (req.topic_name) expect(log?.request_resource).toBe(req.topic_name);
        const resp = expected.find(
          (e) => e.msg_type === 'Response' && e.correlation_id === req.correlation_id,
        );
        if (!resp) continue;
        const status = resp.status === 'Ok' ? 'ok' : resp.status === 'ServerError' ? 'server_error' : 'ok';
        expect(log?.response_status).toBe(status);
        // DeepFlow's -2 means "no top-level error code" for the APIs it does not decode
        if (typeof resp.status_code === 'number' && resp.status_code !== -2) {
          expect(log?.response_code).toBe(resp.status_code);
        }
      }
    });
  }
});
