/** Redis parser over DeepFlow's redis fixtures through the replay pipeline. */
import { describe, expect, it } from 'vitest';
import { fixturesAvailable, readResult, replayFixture } from './fixture-helpers';

const NAMES = ['redis', 'redis-error', 'redis-debug'];

describe.skipIf(!fixturesAvailable)('Redis DeepFlow fixtures', () => {
  for (const name of NAMES) {
    it(`${name}: commands, order and error replies match DeepFlow`, async () => {
      const logs = (await replayFixture(`redis/${name}.pcap`)).filter((l) => l.l7_protocol === 'redis');
      const expected = await readResult(`redis/${name}.result`);
      const requests = expected.filter((e) => e.request !== '');
      expect(logs.map((l) => l.request_resource)).toEqual(requests.map((e) => e.request));
      expect(logs.map((l) => l.request_type)).toEqual(
        requests.map((e) => String(e.request_type).toUpperCase()),
      );
      const errors = expected
        .filter((e) => e.response_result === 'Error')
        .map((e) => String(e.error).slice(1));
      expect(
        logs.filter((l) => l.response_status === 'server_error').map((l) => l.response_exception),
      ).toEqual(errors);
      expect(logs.every((l) => l.response_duration > 0)).toBe(true);
    });
  }
});
