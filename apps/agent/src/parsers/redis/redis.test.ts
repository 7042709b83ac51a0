import { describe, expect, it } from 'vitest';
import type { L7Message } from '../types';
import { redisParser } from './index';

const bytes = (s: string) => new TextEncoder().encode(s);
const ctx = (n: number, gap = false) => ({ serverPort: 6379, gap, totalLength: n });
function feed(
  st: ReturnType<typeof redisParser.newState>,
  dir: 'request' | 'response',
  s: string,
  gap = false,
): L7Message[] {
  const b = bytes(s);
  return redisParser.feed(st, b, dir, 1, ctx(b.length, gap));
}

describe('redis parser', () => {
  it('reads a RESP command and infers it', () => {
    const st = redisParser.newState();
    const req = '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n';
    expect(redisParser.infer(bytes(req), 'request', ctx(req.length))).toBe(true);
    expect(feed(st, 'request', req)[0]?.fields).toEqual({
      request_type: 'SET',
      request_resource: 'SET k hello',
    });
    expect(feed(st, 'response', '+OK\r\n')[0]?.fields).toEqual({ response_status: 'ok' });
  });

  it('reads a pipeline split anywhere, replies in order, errors as server_error', () => {
    const st = redisParser.newState();
    const all = '*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nINCR\r\n$1\r\nk\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n';
    const reqs = [...feed(st, 'request', all.slice(0, 17)), ...feed(st, 'request', all.slice(17))];
    expect(reqs.map((m) => m.fields.request_type)).toEqual(['PING', 'INCR', 'GET']);
    const resps = feed(st, 'response', '+PONG\r\n-ERR value is not an integer\r\n$5\r\nhello\r\n');
    expect(resps.map((m) => m.fields.response_status)).toEqual(['ok', 'server_error', 'ok']);
    expect(resps[1]?.fields.response_exception).toBe('ERR value is not an integer');
  });

  it('reads RESP3 aggregates and marks pushes unsolicited', () => {
    const st = redisParser.newState();
    const msgs = feed(st, 'response', '%1\r\n+a\r\n:1\r\n>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nx\r\n');
    expect(msgs.map((m) => m.unsolicited ?? false)).toEqual([false, true]);
    expect(msgs.map((m) => m.length)).toEqual([12, 32]);
  });

  it('skips a large bulk reply without buffering it and resyncs after a gap', () => {
    const st = redisParser.newState();
    const big = 200_000;
    const head = feed(st, 'response', `$${big}\r\n${'x'.repeat(1000)}`);
    expect(head).toHaveLength(1);
    expect(head[0]?.length).toBe(big + 11);
    expect(st.response.pending.length).toBe(0);
    expect(feed(st, 'response', 'garbage\r\n:1\r\n', true).map((m) => m.length)).toEqual([4]);
  });

  it('reads inline commands', () => {
    const st = redisParser.newState();
    expect(feed(st, 'request', 'PING\r\n')[0]?.fields.request_type).toBe('PING');
  });
});
