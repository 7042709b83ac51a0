/** Decodes what encodePprof wrote with an independent protobuf reader (profile.proto numbers). */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePprof, ProtoWriter } from './pprof';

type Field = { field: number; wire: number; value: bigint | Uint8Array };

function fields(b: Uint8Array): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = () => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      if (i >= b.length) throw new Error('truncated varint');
      const x = b[i++]!;
      v |= BigInt(x & 0x7f) << shift;
      shift += 7n;
      if (x < 0x80) return v;
    }
  };
  while (i < b.length) {
    const key = Number(varint());
    const wire = key & 7;
    if (wire === 0) out.push({ field: key >> 3, wire, value: varint() });
    else if (wire === 2) {
      const n = Number(varint());
      if (i + n > b.length) throw new Error('truncated bytes');
      out.push({ field: key >> 3, wire, value: b.subarray(i, i + n) });
      i += n;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}
const sub = (fs: Field[], n: number) => fs.filter((f) => f.field === n).map((f) => f.value as Uint8Array);
const num = (fs: Field[], n: number) => Number((fs.find((f) => f.field === n)?.value as bigint) ?? 0n);
function unpack(b: Uint8Array): number[] {
  const vals: number[] = [];
  let i = 0;
  while (i < b.length) {
    let v = 0;
    let mul = 1;
    for (;;) {
      const x = b[i++]!;
      v += (x & 0x7f) * mul;
      mul *= 128;
      if (x < 0x80) break;
    }
    vals.push(v);
  }
  return vals;
}

/** Profile -> { sampleTypes, samples as folded stacks with values, time } */
function decode(gz: Buffer) {
  const p = fields(gunzipSync(gz));
  const strings = sub(p, 6).map((s) => Buffer.from(s).toString('utf8'));
  const fnName = new Map<number, string>();
  for (const f of sub(p, 5)) {
    const ff = fields(f);
    fnName.set(num(ff, 1), strings[num(ff, 2)]!);
  }
  const locFn = new Map<number, number>();
  for (const l of sub(p, 4)) {
    const lf = fields(l);
    const line = fields(sub(lf, 4)[0]!);
    locFn.set(num(lf, 1), num(line, 1));
  }
  const samples = sub(p, 2).map((s) => {
    const sf = fields(s);
    const locs = unpack(sub(sf, 1)[0] ?? new Uint8Array());
    const values = unpack(sub(sf, 2)[0] ?? new Uint8Array());
    const names = locs.map((l) => fnName.get(locFn.get(l)!)!).reverse();
    return { stack: names.join(';'), values };
  });
  const sampleTypes = sub(p, 1).map((v) => {
    const vf = fields(v);
    return `${strings[num(vf, 1)]}/${strings[num(vf, 2)]}`;
  });
  const timeNanos = (p.find((f) => f.field === 9)?.value as bigint) ?? 0n;
  return { strings, samples, sampleTypes, timeNanos, period: num(p, 12) };
}

describe('pprof export', () => {
  it('round-trips folded stacks as samples with leaf-first locations', () => {
    const gz = encodePprof(
      [
        { stack: 'main;work;burn', value: 7 },
        { stack: 'main;idle', value: 3 },
        { stack: 'main;work;burn', value: 1 },
      ],
      { eventType: 'on-cpu', startMs: 1_764_000_000_123, endMs: 1_764_000_010_123 },
    );
    expect(gz[0]).toBe(0x1f); // gzip magic
    const d = decode(gz);
    expect(d.strings[0]).toBe('');
    expect(d.sampleTypes).toEqual(['samples/count', 'cpu/nanoseconds']);
    expect(d.samples.map((s) => [s.stack, s.values[0]])).toEqual([
      ['main;work;burn', 8],
      ['main;idle', 3],
    ]);
    expect(d.samples[0]!.values[1]).toBe(8 * d.period);
    expect(d.period).toBe(Math.round(1e9 / 99));
    expect(d.timeNanos).toBe(1_764_000_000_123_000_000n);
  });

  it('writes off-CPU time as nanoseconds', () => {
    const d = decode(
      encodePprof([{ stack: 'a;b', value: 5_000_000 }], { eventType: 'off-cpu', startMs: 0, endMs: 1 }),
    );
    expect(d.sampleTypes).toEqual(['off_cpu/nanoseconds']);
    expect(d.samples).toEqual([{ stack: 'a;b', values: [5_000_000] }]);
  });

  it('encodes varints the protobuf way', () => {
    const w = new ProtoWriter()
      .varint(300)
      .varint(0)
      .varint(2 ** 40);
    expect([...w.finish()]).toEqual([0xac, 0x02, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]);
    expect(unpack(new ProtoWriter().packed(1, []).finish())).toEqual([]);
  });
});
