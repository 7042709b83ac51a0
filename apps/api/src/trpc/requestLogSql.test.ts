import { describe, expect, it } from 'vitest';
import { countQuery, getQuery, listQuery, normalizeRow, requestLogListInput } from './requestLogSql';

const parse = (v: unknown) => requestLogListInput.parse(v);

describe('request-log SQL', () => {
  it('binds the time range in µs and pages by start_time desc', () => {
    const q = listQuery(parse({ start: 1_700_000_000, end: 1_700_000_060, limit: 50, offset: 100 }));
    expect(q.sql).toMatch(
      /FROM flow_log\.l7_flow_log AS l WHERE l\.start_time >= fromUnixTimestamp64Micro\(\{start_us:Int64\}\) AND l\.start_time < fromUnixTimestamp64Micro\(\{end_us:Int64\}\) ORDER BY l\.start_time DESC LIMIT \{limit:UInt32\} OFFSET \{offset:UInt32\}$/,
    );
    expect(q.params).toEqual({
      start_us: 1_700_000_000_000_000,
      end_us: 1_700_000_060_000_000,
      limit: 50,
      offset: 100,
    });
  });

  it('reads times back as µs and IPs as text with IPv4-mapped addresses unwrapped', () => {
    const q = listQuery(parse({ start: 1, end: 2 }));
    expect(q.sql).toMatch(
      /^SELECT toUnixTimestamp64Micro\(start_time\) AS start_time, toUnixTimestamp64Micro\(end_time\) AS end_time, response_duration,/,
    );
    expect(q.sql).toContain(
      "replaceRegexpOne(toString(ip_0), '^::ffff:(\\d+\\.\\d+\\.\\d+\\.\\d+)$', '\\1') AS ip_0",
    );
  });

  it('turns every filter into a clause with a bound value, never inline text', () => {
    const evil = "x' OR 1=1 --";
    const input = parse({
      start: 1,
      end: 2,
      filters: {
        l7_protocol: ['http1', 'mysql'],
        response_status: ['server_error'],
        request_type: evil,
        ip: '10.0.0.1',
        server_port: 8080,
        min_duration: 1000,
        search: `  ${evil}  `,
      },
    });
    const q = countQuery(input);
    expect(q.sql).not.toContain(evil);
    expect(q.sql).toContain('l7_protocol IN {l7_protocol:Array(String)}');
    expect(q.sql).toContain('response_status IN {response_status:Array(String)}');
    expect(q.sql).toContain('request_type = {request_type:String}');
    expect(q.sql).toContain('(l.ip_0 = toIPv6({ip:String}) OR l.ip_1 = toIPv6({ip:String}))');
    expect(q.sql).toContain('server_port = {server_port:UInt16}');
    expect(q.sql).toContain('response_duration >= {min_duration:UInt64}');
    expect(q.sql).toContain('positionCaseInsensitiveUTF8(request_resource, {search:String}) > 0');
    expect(q.params).toMatchObject({
      l7_protocol: ['http1', 'mysql'],
      response_status: ['server_error'],
      request_type: evil,
      ip: '10.0.0.1',
      server_port: 8080,
      min_duration: 1000,
      search: evil,
    });
  });

  it('ignores empty lists and blank search', () => {
    const q = countQuery(parse({ start: 1, end: 2, filters: { l7_protocol: [], search: '   ' } }));
    expect(q.sql).toBe(
      'SELECT count() AS n FROM flow_log.l7_flow_log AS l WHERE l.start_time >= fromUnixTimestamp64Micro({start_us:Int64}) AND l.start_time < fromUnixTimestamp64Micro({end_us:Int64})',
    );
  });

  it('rejects bad input with a clear message', () => {
    expect(() => parse({ start: 10, end: 5 })).toThrow(/end must be after start/);
    expect(() => parse({ start: 1, end: 2, limit: 5000 })).toThrow();
    expect(() => parse({ start: 1, end: 2, filters: { l7_protocol: ['gopher'] } })).toThrow();
    expect(() => parse({ start: 1, end: 2, filters: { ip: 'not-an-ip' } })).toThrow();
    expect(() => parse({ start: 1, end: 2, filters: { unknown_field: 1 } })).toThrow();
  });

  it('fetches one full record by its key', () => {
    const key = {
      start_time: 5,
      end_time: 6,
      flow_id: 7,
      request_id: 8,
      agent_id: 9,
      observation_point: 'c-p' as const,
    };
    const q = getQuery(key);
    expect(q.sql).toContain('AS end_time, response_duration,');
    expect(q.sql).toContain(
      'WHERE l.start_time = fromUnixTimestamp64Micro({start_time:Int64}) AND l.end_time',
    );
    expect(q.sql).toContain('attribute_names, attribute_values FROM');
    expect(q.sql).toMatch(/LIMIT 1$/);
    expect(q.params).toEqual(key);
  });

  it('turns quoted 64-bit integers into numbers and leaves strings alone', () => {
    expect(normalizeRow({ start_time: '1700000000000000', request_resource: '123', ip_0: '::1' })).toEqual({
      start_time: 1_700_000_000_000_000,
      request_resource: '123',
      ip_0: '::1',
    });
  });
});
