import { describe, expect, it } from 'vitest';
import type { L7Message } from '../parsers/types';
import type { Exchange } from './exchange';
import { Pairing } from './pairing';

const msg = (m: Partial<L7Message>): { msg: L7Message; seq: number } => ({
  msg: { direction: 'request', ts: 0, length: 1, fields: {}, ...m },
  seq: 0,
});

function setup() {
  const out: { ex: Exchange; timedOut: boolean }[] = [];
  return { p: new Pairing((ex, timedOut) => out.push({ ex, timedOut })), out };
}

describe('Pairing', () => {
  it('pairs pipelined requests with responses in order', () => {
    const { p, out } = setup();
    p.add(msg({ ts: 1, fields: { request_resource: '/a' } }));
    p.add(msg({ ts: 2, fields: { request_resource: '/b' } }));
    p.add(msg({ direction: 'response', ts: 3, fields: { response_code: 200 } }));
    p.add(msg({ direction: 'response', ts: 4, fields: { response_code: 404 } }));
    expect(
      out.map((o) => [o.ex.reqFields.request_resource, o.ex.respFields.response_code, o.ex.end - o.ex.start]),
    ).toEqual([
      ['/a', 200, 2],
      ['/b', 404, 2],
    ]);
  });

  it('pairs by stream id regardless of order', () => {
    const { p, out } = setup();
    p.add(msg({ streamId: 1, ts: 1 }));
    p.add(msg({ streamId: 3, ts: 2 }));
    p.add(msg({ direction: 'response', streamId: 3, ts: 5 }));
    p.add(msg({ direction: 'response', streamId: 1, ts: 9 }));
    expect(out.map((o) => [o.ex.streamId, o.ex.end])).toEqual([
      [3, 5],
      [1, 9],
    ]);
  });

  it('keeps an exchange open across `more` responses and sums their lengths', () => {
    const { p, out } = setup();
    p.add(msg({ streamId: 1, ts: 1 }));
    p.add(
      msg({
        direction: 'response',
        streamId: 1,
        ts: 2,
        more: true,
        length: 10,
        fields: { response_code: 200 },
      }),
    );
    p.add(msg({ direction: 'response', streamId: 1, ts: 3, more: true, length: 10 }));
    expect(out).toHaveLength(0);
    p.add(msg({ direction: 'response', streamId: 1, ts: 7, length: 5, fields: { response_code: 0 } }));
    expect(out[0]!.ex).toMatchObject({ respLength: 25, end: 7, respFields: { response_code: 0 } });
  });

  it('oneWay requests and unsolicited responses are emitted alone', () => {
    const { p, out } = setup();
    p.add(msg({ oneWay: true }));
    p.add(msg({ direction: 'response', unsolicited: true }));
    expect(out).toHaveLength(2);
    expect(p.pending).toBe(0);
  });

  it('expires unanswered requests as timeouts, and flush ends the rest', () => {
    const { p, out } = setup();
    p.add(msg({ ts: 10 }));
    p.add(msg({ ts: 100, streamId: 7 }));
    p.expire(50);
    expect(out.map((o) => o.timedOut)).toEqual([true]);
    p.flush();
    expect(out).toHaveLength(2);
    expect(p.pending).toBe(0);
  });

  it('a response without a request (capture started late) still becomes a record', () => {
    const { p, out } = setup();
    p.add(msg({ direction: 'response', ts: 4 }));
    expect(out[0]!.ex.req).toBeUndefined();
  });
});
