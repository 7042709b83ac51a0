import { describe, expect, it } from 'vitest';
import { parseInflux } from './influx';
import { decodeRemoteWrite } from './remote-write';
import { unsnappy } from './snappy';
import { remoteWrite, snappyCompress } from './testing';

const LIM = { maxSeries: 100, maxSamples: 1000, maxLabels: 16 };

describe('snappy', () => {
  it('round-trips literals and overlapping copies', () => {
    const text = new TextEncoder().encode(
      'abcabcabcabcabcabc-node_cpu_seconds_total-node_cpu_seconds_total'.repeat(20),
    );
    const packed = snappyCompress(text);
    expect(packed.length).toBeLessThan(text.length / 4);
    const r = unsnappy(packed, 1 << 20);
    expect(r.ok && Buffer.from(r.value).toString()).toBe(Buffer.from(text).toString());
  });

  it('refuses a declared size over the limit before allocating, and bad offsets', () => {
    expect(unsnappy(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]), 1024)).toEqual({
      ok: false,
      error: 'decompressed size 4294967295 exceeds 1024 bytes',
    });
    // length 8, then a copy of 4 bytes at offset 1 with nothing written yet
    expect(unsnappy(Uint8Array.from([8, 0x01, 0x01]), 1024)).toEqual({
      ok: false,
      error: 'malformed snappy data: copy offset 1 outside the output',
    });
  });
});

describe('remote write', () => {
  it('decodes series with sorted labels and ms timestamps', () => {
    const body = remoteWrite([
      {
        labels: { job: 'node', __name__: 'up', instance: 'a:9100' },
        samples: [
          [1_700_000_000_000, 1],
          [1_700_000_001_000, 0],
        ],
      },
    ]);
    expect(decodeRemoteWrite(body, LIM)).toEqual({
      ok: true,
      value: [
        {
          labels: [
            ['__name__', 'up'],
            ['instance', 'a:9100'],
            ['job', 'node'],
          ],
          samples: [
            { t: 1_700_000_000_000, v: 1 },
            { t: 1_700_000_001_000, v: 0 },
          ],
        },
      ],
    });
  });

  it('rejects series without a name, bad label names and too many samples', () => {
    expect(decodeRemoteWrite(remoteWrite([{ labels: { job: 'x' }, samples: [] }]), LIM)).toEqual({
      ok: false,
      error: 'a series has no __name__ label',
    });
    expect(
      decodeRemoteWrite(remoteWrite([{ labels: { __name__: 'x', 'bad-name': 'y' }, samples: [] }]), LIM).ok,
    ).toBe(false);
    const many = remoteWrite([
      {
        labels: { __name__: 'x' },
        samples: [
          [1, 1],
          [2, 2],
          [3, 3],
        ],
      },
    ]);
    expect(decodeRemoteWrite(many, { ...LIM, maxSamples: 2 })).toEqual({
      ok: false,
      error: 'more than 2 samples in one request',
    });
  });
});

describe('influx line protocol', () => {
  it('maps measurement_field with tags as labels, escapes and precisions', () => {
    const r = parseInflux(
      [
        '# comment',
        'cpu,host=web\\ 1,region=eu usage_user=1.5,usage_system=2i,ok=true,note="a \\"b\\"" 1700000000000000000',
        'mem value=42u 1700000000',
        '',
      ].join('\n'),
      { precision: 'ns', maxSeries: 100 },
    );
    expect(r.errors).toEqual([]);
    expect(r.skippedFields).toBe(1);
    expect(r.series.map((s) => [Object.fromEntries(s.labels), s.samples[0]])).toEqual([
      [
        { __name__: 'cpu_usage_user', host: 'web 1', region: 'eu' },
        { t: 1_700_000_000_000, v: 1.5 },
      ],
      [
        { __name__: 'cpu_usage_system', host: 'web 1', region: 'eu' },
        { t: 1_700_000_000_000, v: 2 },
      ],
      [
        { __name__: 'cpu_ok', host: 'web 1', region: 'eu' },
        { t: 1_700_000_000_000, v: 1 },
      ],
      [{ __name__: 'mem' }, { t: 1700, v: 42 }],
    ]);
    expect(
      parseInflux('disk free=1 1700000000', { precision: 's', maxSeries: 10 }).series[0]!.samples[0]!.t,
    ).toBe(1_700_000_000_000);
  });

  it('reports bad lines by number and keeps the good ones', () => {
    const r = parseInflux('ok v=1 1\nbroken\nx y=abc 1\nok2 v=2', { maxSeries: 10, nowMs: 5 });
    expect(r.badLines).toBe(2);
    expect(r.errors).toEqual(['line 2: missing fields', "line 3: invalid field value 'abc'"]);
    expect(r.series.map((s) => s.labels[0]![1])).toEqual(['ok_v', 'ok2_v']);
  });
});
