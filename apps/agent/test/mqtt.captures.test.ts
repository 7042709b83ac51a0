/** Our own Mosquitto capture (mosquitto_sub QoS 1, mosquitto_pub QoS 0 and QoS 2 over MQTT 5). */
import { describe, expect, it } from 'vitest';
import { replayCapture } from './fixture-helpers';

describe('MQTT capture from mosquitto_pub/mosquitto_sub', async () => {
  const logs = (await replayCapture('mqtt-client.pcap')).filter((l) => l.l7_protocol === 'mqtt');

  it('reports each CONNECT with client id, version and CONNACK code 0', () => {
    const connects = logs.filter((l) => l.request_type === 'CONNECT');
    expect(connects.map((l) => [l.request_domain, l.version, l.response_code])).toEqual([
      ['zs-sub', '3.1.1', 0],
      ['zs-pub0', '3.1.1', 0],
      ['zs-pub2', '5.0', 0],
    ]);
  });

  it('reports the subscription and both publishes on zs/test', () => {
    expect(logs.find((l) => l.request_type === 'SUBSCRIBE')?.request_resource).toBe('zs/test');
    const pubs = logs.filter((l) => l.request_type === 'PUBLISH' && l.request_domain.startsWith('zs-pub'));
    expect(pubs.map((l) => [l.request_domain, l.request_id])).toEqual([
      ['zs-pub0', 0],
      ['zs-pub2', 1],
    ]);
    expect(pubs[1]?.response_duration).toBeGreaterThan(0);
  });

  it('reports the broker deliveries to the subscriber as their own records', () => {
    const deliveries = logs.filter((l) => l.request_type === 'PUBLISH' && l.request_domain === '');
    expect(deliveries).toHaveLength(2);
    expect(deliveries.every((l) => l.request_resource === 'zs/test')).toBe(true);
  });
});
