import { describe, expect, it } from 'vitest';
import { batchToRecords, CodecError, decodeBatch, encodeBatch, schemaHash } from './codec';
import { bytesToIp, ipToBytes } from './codec-ip';
import { sampleFlowLogs, sampleRequestLogs } from './codec-sample';
import { FLOW_LOG_COLUMNS, REQUEST_LOG_COLUMNS } from './columns';

function roundTrip(columns: typeof REQUEST_LOG_COLUMNS, records: Record<string, unknown>[]) {
  const bytes = encodeBatch(columns, records);
  const res = decodeBatch(columns, bytes);
  if (!res.ok) throw res.error;
  return { bytes, rows: batchToRecords(res.batch) };
}

describe('wire codec', () => {
  it('round-trips request logs exactly, in well under 100 bytes per row', () => {
    const recs = sampleRequestLogs(2000, 7);
    const { bytes, rows } = roundTrip(REQUEST_LOG_COLUMNS, recs as unknown as Record<string, unknown>[]);
    expect(rows.length).toBe(2000);
    for (let i = 0; i < recs.length; i += 97) {
      const want = recs[i] as unknown as Record<string, unknown>;
      for (const c of REQUEST_LOG_COLUMNS) expect(rows[i]![c.name], c.name).toEqual(want[c.name] ?? 0);
    }
    expect(bytes.length / recs.length).toBeLessThan(100);
  });

  it('round-trips flow logs including IPv6 and unicode, lists and negative numbers', () => {
    const recs = sampleFlowLogs(300, 3) as unknown as Record<string, unknown>[];
    const { rows } = roundTrip(FLOW_LOG_COLUMNS, recs);
    expect(rows[0]!.ip_1).toBe('fd00::1');
    expect(rows[1]!.ip_0).toBe('10.0.0.2');
    const odd = [
      { request_resource: 'héllo wörld ✓ 😀', response_code: -1, attribute_names: ['a', 'é'], ip_0: '::1' },
      { request_resource: 'x'.repeat(300), response_code: 2 ** 40, attribute_names: [], ip_0: 'not-an-ip' },
    ];
    const back = roundTrip(REQUEST_LOG_COLUMNS, odd).rows;
    expect(back[0]).toMatchObject({ request_resource: 'héllo wörld ✓ 😀', response_code: -1, ip_0: '::1' });
    expect(back[0]!.attribute_names).toEqual(['a', 'é']);
    expect(back[1]).toMatchObject({ request_resource: 'x'.repeat(300), response_code: 2 ** 40, ip_0: '::' });
  });

  it('keeps integers exact across the varint and zigzag fast-path bounds, batch after batch', () => {
    const edges = [
      0,
      1,
      127,
      128,
      2 ** 28 - 1,
      2 ** 28,
      2 ** 31 - 1,
      2 ** 31,
      2 ** 32 - 1,
      2 ** 32,
      2 ** 52 - 1,
    ];
    // plain and delta-coded columns alike: sorted (delta wins) and shuffled (plain wins)
    for (const vals of [edges, [...edges].reverse(), edges.map((_, i) => edges[(i * 7) % edges.length]!)]) {
      const recs = vals.map((v, i) => ({
        start_time: v, // u64
        response_code: i % 2 ? -v : v, // i64, both signs
        req_tcp_seq: Math.min(v, 2 ** 32 - 1), // u32
      }));
      const { rows } = roundTrip(REQUEST_LOG_COLUMNS, recs);
      expect(rows.map((r) => [r.start_time, r.response_code, r.req_tcp_seq])).toEqual(
        recs.map((r) => [r.start_time, r.response_code, r.req_tcp_seq]),
      );
    }
  });

  it('counts bad values the same however often an address or string repeats', () => {
    const recs = Array.from({ length: 300 }, (_, i) => ({
      ip_0: ['10.0.0.1', 'bad', '10.0.0.1', '2001:db8::1', 'bad'][i % 5],
      ip_1: i % 3 ? '10.1.1.1' : 'nope',
      trace_id: i % 4 ? `${i.toString(16).padStart(32, '0')}` : `ü${i}`,
      request_domain: i % 2 ? 7 : `d${i}`,
    }));
    const stats = { invalidValues: 0 };
    const res = decodeBatch(REQUEST_LOG_COLUMNS, encodeBatch(REQUEST_LOG_COLUMNS, recs, stats));
    if (!res.ok) throw res.error;
    const rows = batchToRecords(res.batch);
    // 'bad' twice in every 5 rows, 'nope' every 3rd row, a number for every other domain
    expect(stats.invalidValues).toBe(120 + 100 + 150);
    expect(rows.map((r) => r.ip_0)).toEqual(recs.map((r) => (r.ip_0 === 'bad' ? '::' : r.ip_0)));
    expect(rows.map((r) => r.ip_1)).toEqual(recs.map((r) => (r.ip_1 === 'nope' ? '::' : r.ip_1)));
    expect(rows.map((r) => r.trace_id)).toEqual(recs.map((r) => r.trace_id));
    expect(rows.map((r) => r.request_domain)).toEqual(
      recs.map((r) => (typeof r.request_domain === 'string' ? r.request_domain : '')),
    );
    // a second, smaller batch reuses the encoder's scratch columns: nothing of the first leaks in
    const small = roundTrip(REQUEST_LOG_COLUMNS, [{ trace_id: 'abc' }, {}]).rows;
    expect(small.map((r) => [r.trace_id, r.ip_0, r.request_domain, r.attribute_names])).toEqual([
      ['abc', '::', '', []],
      ['', '::', '', []],
    ]);
  });

  it('maps IPv4 into ::ffff: and back', () => {
    const b = new Uint8Array(16);
    expect(ipToBytes('192.168.1.20', b)).toBe(true);
    expect(Array.from(b.subarray(10))).toEqual([0xff, 0xff, 192, 168, 1, 20]);
    expect(bytesToIp(b)).toBe('192.168.1.20');
    expect(ipToBytes('2001:db8::8a2e:370:7334', b)).toBe(true);
    expect(bytesToIp(b)).toBe('2001:db8::8a2e:370:7334');
    expect(ipToBytes('1.2.3.256', b)).toBe(false);
  });

  it('rejects garbage, truncation and a foreign schema with a CodecError, never a throw', () => {
    const good = encodeBatch(
      REQUEST_LOG_COLUMNS,
      sampleRequestLogs(50) as unknown as Record<string, unknown>[],
    );
    const bad = (b: Uint8Array) => {
      const r = decodeBatch(REQUEST_LOG_COLUMNS, b);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toBeInstanceOf(CodecError);
      return r.ok ? undefined : r.error.code;
    };
    expect(bad(new Uint8Array([1, 2, 3]))).toBe('bad_header');
    expect(decodeBatch(FLOW_LOG_COLUMNS, good).ok).toBe(false);
    for (let cut = 8; cut < good.length; cut += Math.max(1, good.length >> 6)) bad(good.subarray(0, cut));
    const r = (seed: number) => () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    };
    const rand = r(42);
    for (let i = 0; i < 500; i++) {
      const mutated = good.slice();
      for (let k = 0; k < 4; k++) mutated[7 + ((rand() * 97) % (mutated.length - 7))] = rand();
      const res = decodeBatch(REQUEST_LOG_COLUMNS, mutated);
      if (!res.ok) expect(res.error).toBeInstanceOf(CodecError);
    }
  });

  it('refuses a tiny payload that claims a huge row count', () => {
    const hdr = encodeBatch(REQUEST_LOG_COLUMNS, []).slice(0, 7);
    const claim = new Uint8Array([...hdr, 0xff, 0xff, 0xff, 0x7f, REQUEST_LOG_COLUMNS.length, 1]);
    const res = decodeBatch(REQUEST_LOG_COLUMNS, claim);
    expect(res.ok ? '' : res.error.code).toBe('too_many_rows');
    expect(schemaHash(REQUEST_LOG_COLUMNS)).not.toBe(schemaHash(FLOW_LOG_COLUMNS));
  });
});
