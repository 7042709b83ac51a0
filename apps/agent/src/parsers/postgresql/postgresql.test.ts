import { describe, expect, it } from 'vitest';
import { postgresqlParser } from './index';

type St = ReturnType<typeof postgresqlParser.newState>;
const ctx = (n: number) => ({ serverPort: 5432, gap: false, totalLength: n });
const msg = (type: string, body: string) => {
  const b = Buffer.from(body, 'latin1');
  const h = Buffer.alloc(5);
  h.write(type, 0, 'latin1');
  h.writeInt32BE(b.length + 4, 1);
  return Uint8Array.from(Buffer.concat([h, b]));
};
const cat = (...p: Uint8Array[]) => Uint8Array.from(Buffer.concat(p));
const feed = (st: St, dir: 'request' | 'response', b: Uint8Array) =>
  postgresqlParser.feed(st, b, dir, 1, ctx(b.length));
const READY = msg('Z', 'I');

describe('postgresql parser', () => {
  it('reads startup and the auth exchange up to ReadyForQuery', () => {
    const st = postgresqlParser.newState();
    const params = Buffer.from('user\0alice\0database\0shop\0\0');
    const startup = Buffer.alloc(8 + params.length);
    startup.writeInt32BE(startup.length, 0);
    startup.writeInt32BE(196608, 4);
    params.copy(startup, 8);
    expect(postgresqlParser.infer(startup, 'request', ctx(startup.length))).toBe(true);
    expect(feed(st, 'request', startup)[0]?.fields).toMatchObject({
      request_type: 'STARTUP',
      request_domain: 'shop',
    });
    const auth = cat(msg('R', '\0\0\0\0'), msg('S', 'server_version\x0016\0'), msg('K', '12345678'), READY);
    expect(feed(st, 'response', auth).map((m) => m.fields.response_status)).toEqual(['ok']);
  });

  it('reads a simple query split across chunks with rows from CommandComplete', () => {
    const st = postgresqlParser.newState();
    const q = msg('Q', 'UPDATE t SET a = 1\0');
    feed(st, 'request', q.subarray(0, 3));
    expect(feed(st, 'request', q.subarray(3))[0]?.fields).toMatchObject({
      request_type: 'UPDATE',
      endpoint: 'UPDATE t',
    });
    expect(feed(st, 'response', cat(msg('C', 'UPDATE 4\0'), READY))[0]?.fields.sql_affected_rows).toBe(4);
  });

  it('reports one request per Sync batch and names a reused statement', () => {
    const st = postgresqlParser.newState();
    const batch = (stmt: string, parse: boolean) =>
      cat(
        ...(parse ? [msg('P', `${stmt}\0SELECT * FROM t WHERE id = $1\0\0\0`)] : []),
        msg('B', `\0${stmt}\0\0\0\0\0\0\0`),
        msg('E', '\0\0\0\0\0'),
        msg('S', ''),
      );
    const [first] = feed(st, 'request', batch('s1', true));
    expect(first?.fields).toMatchObject({
      request_type: 'SELECT',
      request_resource: 'SELECT * FROM t WHERE id = $1',
    });
    const [second] = feed(st, 'request', batch('s1', false));
    expect(second?.fields.request_resource).toBe('SELECT * FROM t WHERE id = $1');
  });

  it('reports ErrorResponse with its SQLSTATE once, ReadyForQuery swallowed', () => {
    const st = postgresqlParser.newState();
    feed(st, 'request', msg('Q', 'SELECT * FROM nope\0'));
    const err = msg('E', 'SERROR\0VERROR\0C42P01\0Mrelation "nope" does not exist\0\0');
    const out = feed(st, 'response', cat(err, READY));
    expect(out).toHaveLength(1);
    expect(out[0]?.fields).toMatchObject({
      response_status: 'client_error',
      response_code: 42,
      attribute_values: ['42P01'],
    });
  });

  it('marks notifications outside a request unsolicited', () => {
    const st = postgresqlParser.newState();
    const [n] = feed(st, 'response', msg('A', '\0\0\0\x01jobs\0payload\0'));
    expect(n).toMatchObject({
      unsolicited: true,
      fields: { request_type: 'NOTIFY', request_resource: 'jobs' },
    });
  });
});
