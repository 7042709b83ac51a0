import { describe, expect, it } from 'vitest';
import type { Direction } from '../../capture/types';
import type { L7Message } from '../types';
import { http1Parser } from '.';

function feeder() {
  const s = http1Parser.newState();
  return (dir: Direction, text: string, opts: { gap?: boolean; totalLength?: number } = {}): L7Message[] => {
    const b = new Uint8Array(Buffer.from(text, 'latin1'));
    return http1Parser.feed(s, b, dir, 1, {
      serverPort: 80,
      gap: opts.gap ?? false,
      totalLength: opts.totalLength ?? b.length,
    });
  };
}

describe('http1Parser', () => {
  it('infers requests and responses from their first bytes only', () => {
    const ctx = { serverPort: 1, gap: false, totalLength: 0 };
    const b = (s: string) => new Uint8Array(Buffer.from(s));
    expect(http1Parser.infer(b('GET /x HTTP/1.1\r\n'), 'request', ctx)).toBe(true);
    expect(http1Parser.infer(b('HTTP/1.1 404 Not Found\r\n'), 'response', ctx)).toBe(true);
    expect(http1Parser.infer(b('PRI * HTTP/2.0\r\n'), 'request', ctx)).toBe(false);
    expect(http1Parser.infer(b('GETX / HTTP/1.1'), 'request', ctx)).toBe(false);
  });

  it('pipelined requests in one chunk, bodies by content-length', () => {
    const feed = feeder();
    const msgs = feed(
      'request',
      'POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /b?q=1 HTTP/1.1\r\nHost: h\r\n\r\n',
    );
    expect(
      msgs.map((m) => [m.fields.request_type, m.fields.request_resource, m.fields.endpoint, m.length]),
    ).toEqual([
      ['POST', '/a', '/a', 44],
      ['GET', '/b?q=1', '/b', 32],
    ]);
  });

  it('chunked response split at awkward places, then the next response', () => {
    const feed = feeder();
    feed('request', 'GET / HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n');
    const parts = [
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r',
      '\nhel',
      'lo\r\n0\r\n',
      '\r\nHTTP/1.1 503 Busy\r\n',
      'Content-Length: 0\r\n\r\n',
    ];
    const msgs = parts.flatMap((p) => feed('response', p));
    expect(
      msgs.map((m) => [m.fields.response_code, m.fields.response_status, m.fields.response_exception]),
    ).toEqual([
      [200, 'ok', undefined],
      [503, 'server_error', 'Busy'],
    ]);
  });

  it('HEAD responses and 204 carry no body; 100-continue is not the final response', () => {
    const feed = feeder();
    feed('request', 'HEAD / HTTP/1.1\r\n\r\nPOST /u HTTP/1.1\r\nExpect: 100-continue\r\n\r\n');
    const msgs = feed(
      'response',
      'HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n',
    );
    expect(msgs.map((m) => m.fields.response_code)).toEqual([200, 204]);
  });

  it('trace, request-id and attribute headers', () => {
    const feed = feeder();
    const [m] = feed(
      'request',
      'GET / HTTP/1.1\r\nHost: api\r\nUser-Agent: curl\r\nReferer: http://r\r\nX-Request-ID: abc\r\nX-B3-TraceId: 463ac35c9f6413ad48485a3953bb6124\r\nX-B3-SpanId: a2fb4a1d1a96d312\r\n\r\n',
    );
    expect(m!.fields).toMatchObject({
      request_domain: 'api',
      x_request_id_0: 'abc',
      trace_id: '463ac35c9f6413ad48485a3953bb6124',
      span_id: 'a2fb4a1d1a96d312',
      attribute_names: ['http.user_agent', 'http.referer'],
      attribute_values: ['curl', 'http://r'],
    });
  });

  it('a payload truncated by capture still yields its head; the next chunk starts fresh', () => {
    const feed = feeder();
    const m = feed('request', 'POST /big HTTP/1.1\r\nHost: x\r\nContent-Le', { totalLength: 5000 });
    expect(m[0]!.fields.request_resource).toBe('/big');
    expect(feed('request', 'GET /next HTTP/1.1\r\n\r\n')[0]!.fields.request_resource).toBe('/next');
  });

  it('resynchronises on the next start line after a gap', () => {
    const feed = feeder();
    feed('request', 'POST /a HTTP/1.1\r\nContent-Length: 100000\r\n\r\nxx');
    const m = feed('request', 'garbage body bytes\r\nGET /after HTTP/1.1\r\n\r\n', { gap: true });
    expect(m.map((x) => x.fields.request_resource)).toEqual(['/after']);
  });

  it('101 Switching Protocols ends HTTP/1 parsing on the connection', () => {
    const feed = feeder();
    feed('request', 'GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n');
    expect(feed('response', 'HTTP/1.1 101 Switching Protocols\r\n\r\n')).toHaveLength(1);
    expect(feed('request', 'GET /x HTTP/1.1\r\n\r\n')).toHaveLength(0);
  });
});
