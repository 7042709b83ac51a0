import { describe, expect, it } from 'vitest';
import { kafkaParser } from './index';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const ctx = (n: number, gap = false) => ({ serverPort: 9092, gap, totalLength: n });

// Produce v2 from the DeepFlow fixture 00-produce-v2 (request head; acks=1, topic "topic2")
const PRODUCE_HEAD =
  '00000075 0000 0002 00000001 0010 636f6e736f6c652d70726f6475636572 0001 000005dc 00000001 0006 746f70696332';
const produce = () => {
  const head = hex(PRODUCE_HEAD);
  const out = new Uint8Array(0x75 + 4);
  out.set(head);
  return out;
};
// Heartbeat v1 response: correlation id 9, throttle 0, error 27 (REBALANCE_IN_PROGRESS)
const HEARTBEAT_REQ = '00000012 000c 0001 00000009 0002 6964 0000 0000 0000';

describe('kafka parser', () => {
  it('reads the header, api name and topic, pairing by correlation id', () => {
    const st = kafkaParser.newState();
    const req = produce();
    expect(kafkaParser.infer(req, 'request', ctx(req.length))).toBe(true);
    const [m] = kafkaParser.feed(st, req, 'request', 1, ctx(req.length));
    expect(m).toMatchObject({
      streamId: 1,
      fields: { request_type: 'Produce', request_resource: 'topic2', version: '2' },
    });
    const resp = hex('0000000e 00000001 00000001 0006 746f70696332');
    const [r] = kafkaParser.feed(st, resp, 'response', 2, ctx(resp.length));
    expect(r?.streamId).toBe(1);
  });

  it('reads a request split in two chunks and a top-level error code', () => {
    const st = kafkaParser.newState();
    const req = hex(HEARTBEAT_REQ);
    expect(kafkaParser.feed(st, req.subarray(0, 9), 'request', 1, ctx(9))).toEqual([]);
    const [m] = kafkaParser.feed(st, req.subarray(9), 'request', 1, ctx(req.length - 9));
    expect(m?.fields.request_type).toBe('Heartbeat');
    const resp = hex('0000000a 00000009 00000000 001b');
    expect(kafkaParser.feed(st, resp, 'response', 2, ctx(resp.length))[0]?.fields).toMatchObject({
      response_code: 27,
      response_status: 'server_error',
    });
  });

  it('marks acks=0 produce one-way and hands a big fetch response over from its head', () => {
    const st = kafkaParser.newState();
    const req = produce();
    req.set([0, 0], 4 + 2 + 2 + 4 + 2 + 16);
    expect(kafkaParser.feed(st, req, 'request', 1, ctx(req.length))[0]?.oneWay).toBe(true);
    const big = hex('00100000 00000005 00');
    const msgs = kafkaParser.feed(st, big, 'response', 3, ctx(big.length + 100));
    expect(msgs.map((m) => m.length)).toEqual([0x100000 + 4]);
    expect(st.response.pending.length).toBe(0);
  });
});
