/** MQTT parser over DeepFlow's mqtt fixtures through the replay pipeline. */
import { describe, expect, it } from 'vitest';
import { fixturesAvailable, readResult, replayFixture } from './fixture-helpers';

/** DeepFlow prints PUBLISH with its flags: `Publish { dup, qos, retain }`. */
const typeName = (t: unknown): string =>
  typeof t === 'object' && t !== null ? String((t as { _type?: unknown })._type) : String(t);

const REQUEST_TYPES = new Set([
  'Connect',
  'Publish',
  'Subscribe',
  'Unsubscribe',
  'Pingreq',
  'Pubrel',
  'Disconnect',
]);

describe.skipIf(!fixturesAvailable)('MQTT DeepFlow fixtures', () => {
  for (const name of ['mqtt_connect', 'mqtt_pub', 'mqtt_roundtrip', 'mqtt_one_packet_multi_publish']) {
    it(`${name}: packet types, topics, client id and codes match DeepFlow`, async () => {
      const logs = (await replayFixture(`mqtt/${name}.pcap`)).filter((l) => l.l7_protocol === 'mqtt');
      const expected = await readResult(`mqtt/${name}.result`);
      const requests = expected.filter((e) => REQUEST_TYPES.has(typeName(e.pkt_type)));
      const ours = logs.filter((l) => l.request_type !== '');
      expect(ours.map((l) => l.request_type).sort()).toEqual(
        requests.map((e) => typeName(e.pkt_type).toUpperCase()).sort(),
      );
      const topics = requests.filter((e) => e.publish_topic).map((e) => e.publish_topic);
      expect(ours.filter((l) => l.request_type === 'PUBLISH').map((l) => l.request_resource)).toEqual(topics);
      const connect = requests.find((e) => typeName(e.pkt_type) === 'Connect');
      if (connect)
        expect(ours.find((l) => l.request_type === 'CONNECT')?.request_domain).toBe(connect.client_id);
      const connack = expected.find((e) => typeName(e.pkt_type) === 'Connack');
      if (connack) expect(ours.find((l) => l.request_type === 'CONNECT')?.response_code).toBe(connack.code);
      expect(logs.every((l) => l.response_status === 'ok')).toBe(true);
    });
  }

  it('mqtt_roundtrip: QoS 1/2 publishes pair by packet id, QoS 0 is one-way', async () => {
    const logs = (await replayFixture('mqtt/mqtt_roundtrip.pcap')).filter((l) => l.l7_protocol === 'mqtt');
    const publishes = logs.filter((l) => l.request_type === 'PUBLISH');
    expect(publishes.map((l) => l.request_id)).toEqual([0, 12408, 12409]);
    expect(publishes.filter((l) => l.response_duration > 0).map((l) => l.request_id)).toEqual([12408, 12409]);
    expect(logs.find((l) => l.request_type === 'SUBSCRIBE' && l.request_id === 12407)?.request_resource).toBe(
      'yunshan,deepflow-agent,deepflow-server',
    );
  });

  it('mqtt_error: a DNS packet is not taken for MQTT (DeepFlow decodes it as a CONNACK)', async () => {
    const logs = await replayFixture('mqtt/mqtt_error.pcap');
    expect(logs.filter((l) => l.l7_protocol === 'mqtt')).toEqual([]);
  });
});
