/** Our own Redis capture (redis-cli commands, a WRONGTYPE-style error, a pipeline, RESP3). */
import { describe, expect, it } from 'vitest';
import { replayCapture } from './fixture-helpers';

describe('Redis capture from redis-cli', async () => {
  const logs = (await replayCapture('redis-client.pcap')).filter((l) => l.l7_protocol === 'redis');

  it('pairs every command of the pipeline with its reply, in order', () => {
    const types = logs.map((l) => l.request_type);
    expect(types.slice(0, 6)).toEqual(['SET', 'INCR', 'PING', 'SET', 'INCR', 'GET']);
    expect(types).toContain('ECHO');
    expect(logs.every((l) => l.response_duration > 0)).toBe(true);
  });

  it('reports the INCR of a string as a server error', () => {
    const incr = logs[1];
    expect(incr).toMatchObject({
      request_resource: 'INCR zs:key',
      response_status: 'server_error',
      response_exception: 'ERR value is not an integer or out of range',
    });
    expect(logs.filter((l) => l.response_status === 'server_error')).toHaveLength(1);
  });

  it('follows the switch to RESP3 (HELLO 3) and its map reply', () => {
    expect(logs.slice(-2).map((l) => [l.request_resource, l.response_status])).toEqual([
      ['HELLO 3', 'ok'],
      ['HGETALL zs:nohash', 'ok'],
    ]);
  });
});
