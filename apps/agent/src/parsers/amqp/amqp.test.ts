import { describe, expect, it } from 'vitest';
import { amqpParser } from './index';

type St = ReturnType<typeof amqpParser.newState>;
const ctx = (n: number) => ({ serverPort: 5672, gap: false, totalLength: n });
const short = (s: string) => Buffer.concat([Buffer.from([s.length]), Buffer.from(s)]);
const u16 = (n: number) => Buffer.from([n >> 8, n & 255]);
const frame = (channel: number, cls: number, method: number, ...args: Buffer[]) => {
  const payload = Buffer.concat([u16(cls), u16(method), ...args]);
  const h = Buffer.alloc(7);
  h[0] = 1;
  h.writeUInt16BE(channel, 1);
  h.writeUInt32BE(payload.length, 3);
  return Uint8Array.from(Buffer.concat([h, payload, Buffer.from([0xce])]));
};
const cat = (...p: Uint8Array[]) => Uint8Array.from(Buffer.concat(p));
const feed = (st: St, dir: 'request' | 'response', b: Uint8Array) =>
  amqpParser.feed(st, b, dir, 1, ctx(b.length));

describe('amqp parser', () => {
  it('skips the protocol header and reads queue.declare / declare-ok on a channel', () => {
    const st = amqpParser.newState();
    const header = Uint8Array.from(Buffer.from('AMQP\x00\x00\x09\x01', 'latin1'));
    expect(amqpParser.infer(header, 'request', ctx(8))).toBe(true);
    const declare = frame(3, 50, 10, u16(0), short('orders'), Buffer.from([0]), Buffer.alloc(4));
    const [m] = feed(st, 'request', cat(header, declare));
    expect(m).toMatchObject({
      streamId: 3,
      fields: { request_type: 'queue.declare', request_resource: 'orders' },
    });
    const ok = frame(3, 50, 11, short('orders'), Buffer.alloc(8));
    expect(feed(st, 'response', ok)[0]).toMatchObject({ streamId: 3, fields: { response_status: 'ok' } });
  });

  it('reads publish + content frames split across chunks as one one-way request', () => {
    const st = amqpParser.newState();
    const publish = frame(1, 60, 40, u16(0), short('ex'), short('rk'), Buffer.from([0]));
    const header = Uint8Array.from([2, 0, 1, 0, 0, 0, 2, 0, 0, 0xce]);
    const all = cat(publish, header);
    expect(feed(st, 'request', all.subarray(0, 10))).toEqual([]);
    const out = feed(st, 'request', all.subarray(10));
    expect(out.map((m) => [m.fields.request_resource, m.oneWay])).toEqual([['ex/rk', true]]);
  });

  it('reports channel.close from the broker with its reply code and text', () => {
    const st = amqpParser.newState();
    const close = frame(1, 20, 40, u16(404), short("NOT_FOUND - no queue 'q'"), u16(50), u16(10));
    expect(feed(st, 'response', close)[0]).toMatchObject({
      streamId: 1,
      fields: {
        response_code: 404,
        response_status: 'client_error',
        response_exception: "NOT_FOUND - no queue 'q'",
      },
    });
  });

  it('marks deliveries unsolicited and server connection.start too', () => {
    const st = amqpParser.newState();
    const deliver = frame(
      1,
      60,
      60,
      short('ctag'),
      Buffer.alloc(8),
      Buffer.from([0]),
      short('ex'),
      short('rk'),
    );
    const start = frame(0, 10, 10, Buffer.from([0, 9]), Buffer.alloc(4), Buffer.alloc(8));
    const out = feed(st, 'response', cat(start, deliver));
    expect(out.map((m) => [m.fields.request_type, m.unsolicited])).toEqual([
      ['connection.start', true],
      ['basic.deliver', true],
    ]);
  });
});
