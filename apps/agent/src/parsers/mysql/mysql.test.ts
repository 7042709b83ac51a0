import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { mysqlParser } from './index';

type St = ReturnType<typeof mysqlParser.newState>;
const ctx = (n: number) => ({ serverPort: 3306, gap: false, totalLength: n });
const packet = (seq: number, body: Uint8Array | string) => {
  const b = typeof body === 'string' ? Buffer.from(body, 'latin1') : Buffer.from(body);
  return Uint8Array.from(
    Buffer.concat([Buffer.from([b.length & 255, (b.length >> 8) & 255, b.length >> 16, seq]), b]),
  );
};
const cat = (...parts: Uint8Array[]) => Uint8Array.from(Buffer.concat(parts));
const feed = (st: St, dir: 'request' | 'response', b: Uint8Array) =>
  mysqlParser.feed(st, b, dir, 1, ctx(b.length));
const query = (sql: string) => packet(0, `\x03${sql}`);
const OK = (affected: number) => packet(1, Uint8Array.from([0, affected, 0, 2, 0, 0, 0]));
const ERR = (seq: number) => packet(seq, "\xff\x7a\x04#42S02Table 't.x' doesn't exist");
/** one-column result set with `rows` rows, classic EOFs */
const resultSet = (rows: number) => {
  const eof = (seq: number) => packet(seq, '\xfe\x00\x00\x02\x00');
  const parts = [
    packet(1, '\x01'),
    packet(2, '\x03def\x00\x00\x00\x01a\x00\x0c\x08\x00\x0b\x00\x00\x00\x03\x00\x00\x00\x00\x00'),
    eof(3),
  ];
  for (let i = 0; i < rows; i++) parts.push(packet(4 + i, '\x011'));
  parts.push(eof(4 + rows));
  return cat(...parts);
};

describe('mysql parser', () => {
  it('reads a query and its OK with affected rows', () => {
    const st = mysqlParser.newState();
    const q = query('INSERT INTO t VALUES (1), (2)');
    expect(mysqlParser.infer(q, 'request', ctx(q.length))).toBe(true);
    expect(feed(st, 'request', q)[0]?.fields).toMatchObject({ request_type: 'INSERT', endpoint: 'INSERT t' });
    expect(feed(st, 'response', OK(2))[0]?.fields).toMatchObject({
      response_status: 'ok',
      sql_affected_rows: 2,
    });
  });

  it('folds a result set split across chunks into one response counting rows', () => {
    const st = mysqlParser.newState();
    feed(st, 'request', query('SELECT a FROM t'));
    const rs = resultSet(3);
    expect(feed(st, 'response', rs.subarray(0, 20))).toEqual([]);
    const [m] = feed(st, 'response', rs.subarray(20));
    expect(m).toMatchObject({ length: rs.length, fields: { sql_affected_rows: 3, response_status: 'ok' } });
  });

  it('reports ERR as server_error with code and message', () => {
    const st = mysqlParser.newState();
    feed(st, 'request', query('SELECT * FROM x'));
    expect(feed(st, 'response', ERR(1))[0]?.fields).toEqual({
      response_status: 'server_error',
      response_code: 1146,
      response_exception: "Table 't.x' doesn't exist",
    });
  });

  it('maps a prepared statement id to its SQL for EXECUTE, pipelined requests in one chunk', () => {
    const st = mysqlParser.newState();
    feed(st, 'request', packet(0, '\x16SELECT a FROM t WHERE id = ?'));
    const prepareOk = packet(1, Uint8Array.from([0, 7, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0]));
    expect(feed(st, 'response', prepareOk)[0]?.fields.request_id).toBe(7);
    const exec = packet(0, Uint8Array.from([0x17, 7, 0, 0, 0, 0, 1, 0, 0, 0]));
    const close = packet(0, Uint8Array.from([0x19, 7, 0, 0, 0]));
    const [e, c] = feed(st, 'request', cat(exec, close));
    expect(e?.fields).toMatchObject({
      request_type: 'SELECT',
      request_resource: 'SELECT a FROM t WHERE id = ?',
    });
    expect(c).toMatchObject({ oneWay: true, fields: { request_type: 'CLOSE' } });
  });

  it('reads the greeting and a login, then the compressed protocol', () => {
    const st = mysqlParser.newState();
    const greeting = packet(0, '\x0a10.11.6-MariaDB\x00\x01\x00\x00\x00');
    expect(feed(st, 'response', greeting)[0]).toMatchObject({ unsolicited: true, fields: { version: '10' } });
    const caps = 0x200 | 0x8000 | 0x8 | 0x20;
    const login = packet(
      1,
      cat(
        Uint8Array.from([caps & 255, caps >> 8, 0, 0]),
        new Uint8Array(28),
        Buffer.from('root\x00\x00test\x00'),
      ),
    );
    expect(feed(st, 'request', login)[0]?.fields).toMatchObject({
      request_type: 'LOGIN',
      request_domain: 'test',
    });
    feed(st, 'response', packet(2, Uint8Array.from([0, 0, 0, 2, 0, 0, 0])));
    const inner = query('SELECT 1');
    const z = deflateSync(inner);
    const compressed = cat(Uint8Array.from([z.length, 0, 0, 0, inner.length, 0, 0]), z);
    expect(feed(st, 'request', compressed)[0]?.fields).toMatchObject({
      request_type: 'SELECT',
      request_domain: 'test',
    });
  });
});
