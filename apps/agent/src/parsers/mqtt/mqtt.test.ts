import { describe, expect, it } from 'vitest';
import { mqttParser } from './index';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const ctx = (n: number) => ({ serverPort: 1883, gap: false, totalLength: n });
const feed = (st: ReturnType<typeof mqttParser.newState>, dir: 'request' | 'response', h: string) => {
  const b = hex(h);
  return mqttParser.feed(st, b, dir, 1, ctx(b.length));
};

// CONNECT 3.1.1, client id "test-1", will topic/message
const CONNECT = '102900044d515454040600050006746573742d31000b68656c6c6f2f776f726c640008676f6f6420627965';

describe('mqtt parser', () => {
  it('reads CONNECT/CONNACK with client id, version and return code', () => {
    const st = mqttParser.newState();
    expect(mqttParser.infer(hex(CONNECT), 'request', ctx(43))).toBe(true);
    expect(feed(st, 'request', CONNECT)[0]?.fields).toMatchObject({
      request_type: 'CONNECT',
      request_domain: 'test-1',
      version: '3.1.1',
    });
    expect(feed(st, 'response', '20020005')[0]?.fields).toMatchObject({
      response_code: 5,
      response_status: 'client_error',
    });
  });

  it('reads several PUBLISH packets in one chunk and pairs QoS 1 by packet id', () => {
    const st = mqttParser.newState();
    // QoS 0 "a/b" then QoS 1 "c" id 7
    const msgs = feed(st, 'request', '3006 0003612f62 78  3206 000163 0007 79');
    expect(msgs.map((m) => [m.fields.request_resource, m.oneWay ?? false, m.streamId])).toEqual([
      ['a/b', true, undefined],
      ['c', false, 7],
    ]);
    expect(feed(st, 'response', '40020007')[0]?.streamId).toBe(7);
  });

  it('reassembles a packet split across chunks', () => {
    const st = mqttParser.newState();
    expect(feed(st, 'request', '8209 0001 0004')).toEqual([]);
    const [sub] = feed(st, 'request', '7a2f2f23 01');
    expect(sub?.fields).toMatchObject({ request_type: 'SUBSCRIBE', request_resource: 'z//#', request_id: 1 });
    expect(feed(st, 'response', '9003000180')[0]?.fields.response_status).toBe('client_error');
  });

  it('marks server publishes unsolicited and client acks one-way', () => {
    const st = mqttParser.newState();
    expect(feed(st, 'response', '3206 000163 0009 79')[0]?.unsolicited).toBe(true);
    expect(feed(st, 'request', '40020009')[0]?.oneWay).toBe(true);
  });
});
