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
