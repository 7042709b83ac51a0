/**
 * pprof export: folded stacks -> the `perftools.profiles.Profile` protobuf
 * (github.com/google/pprof proto/profile.proto), gzip-compressed as `go tool pprof` reads
 * it. Hand-written encoder for the few messages needed; field numbers from that proto.
 */
import { gzipSync } from 'node:zlib';
import type { ProfileEventType } from '@zeroscope/wire/profile';
import type { FoldedRow } from './tree';

/** Protobuf writer: varints, length-delimited fields, packed repeated varints. */
export class ProtoWriter {
  private buf = new Uint8Array(1024);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  varint(v: number | bigint): this {
    this.ensure(10);
    if (typeof v === 'bigint') {
      // nanosecond timestamps pass 2^53
      let b = v < 0n ? 0n : v;
      while (b >= 0x80n) {
        this.buf[this.len++] = Number(b & 0x7fn) | 0x80;
        b >>= 7n;
      }
      this.buf[this.len++] = Number(b);
      return this;
    }
    let x = Math.max(0, Math.floor(v));
    while (x >= 0x80) {
      this.buf[this.len++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
    }
    this.buf[this.len++] = x;
    return this;
  }

  tag(field: number, wire: 0 | 2): this {
    return this.varint(field * 8 + wire);
  }

  /** a varint field; zero is the default and is left out */
  uint(field: number, v: number | bigint): this {
    if (v !== 0 && v !== 0n) this.tag(field, 0).varint(v);
    return this;
  }

  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2).varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, Buffer.from(s, 'utf8'));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const w = new ProtoWriter();
    build(w);
    return this.bytes(field, w.finish());
  }

  packed(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const w = new ProtoWriter();
    for (const v of values) w.varint(v);
    return this.bytes(field, w.finish());
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

// Profile
const P_SAMPLE_TYPE = 1;
const P_SAMPLE = 2;
const P_LOCATION = 4;
const P_FUNCTION = 5;
const P_STRING_TABLE = 6;
const P_TIME_NANOS = 9;
const P_DURATION_NANOS = 10;
const P_PERIOD_TYPE = 11;
const P_PERIOD = 12;
// ValueType {type, unit}; Sample {location_id, value}; Location {id, line}; Line {function_id};
// Function {id, name, system_name}
const FREQUENCY_HZ = 99;

export interface PprofOptions {
  eventType: ProfileEventType;
  startMs: number;
  endMs: number;
}

/** The uncompressed Profile message. */
export function encodeProfile(rows: Iterable<FoldedRow>, opts: PprofOptions): Uint8Array {
  const strings: string[] = [''];
  const stringIds = new Map<string, number>([['', 0]]);
  const str = (s: string) => {
    let i = stringIds.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringIds.set(s, i);
    }
    return i;
  };
  // one function and one location per distinct frame name; ids start at 1
  const fnIds = new Map<string, number>();
  const samples = new Map<string, { locs: number[]; value: number }>();
  for (const r of rows) {
    if (!(r.value > 0)) continue;
    const prev = samples.get(r.stack);
    if (prev) {
      prev.value += r.value;
      continue;
    }
    const frames = r.stack.split(';').filter((f) => f.length > 0);
    const locs: number[] = [];
    // pprof lists a sample's locations leaf first
    for (let i = frames.length - 1; i >= 0; i--) {
      let id = fnIds.get(frames[i]!);
      if (id === undefined) {
        id = fnIds.size + 1;
        fnIds.set(frames[i]!, id);
      }
      locs.push(id);
    }
    samples.set(r.stack, { locs, value: r.value });
  }

  const on = opts.eventType === 'on-cpu';
  const periodNs = Math.round(1e9 / FREQUENCY_HZ);
  const w = new ProtoWriter();
  const valueType = (type: string, unit: string) => (m: ProtoWriter) => {
    m.uint(1, str(type)).uint(2, str(unit));
  };
  if (on) {
    w.message(P_SAMPLE_TYPE, valueType('samples', 'count'));
    w.message(P_SAMPLE_TYPE, valueType('cpu', 'nanoseconds'));
  } else {
    w.message(P_SAMPLE_TYPE, valueType('off_cpu', 'nanoseconds'));
  }
  for (const s of samples.values()) {
    w.message(P_SAMPLE, (m) => {
      m.packed(1, s.locs);
      m.packed(2, on ? [s.value, s.value * periodNs] : [s.value]);
    });
  }
  for (const [name, id] of fnIds) {
    w.message(P_LOCATION, (m) => {
      m.uint(1, id);
      m.message(4, (line) => line.uint(1, id));
    });
    const nameId = str(name);
    w.message(P_FUNCTION, (m) => {
      m.uint(1, id).uint(2, nameId).uint(3, nameId);
    });
  }
  const periodType = on ? valueType('cpu', 'nanoseconds') : valueType('off_cpu', 'nanoseconds');
  // the string table must hold every index used above, so it is written after them
  const tail = new ProtoWriter();
  tail.uint(P_TIME_NANOS, BigInt(Math.max(0, Math.floor(opts.startMs))) * 1_000_000n);
  tail.uint(P_DURATION_NANOS, BigInt(Math.max(0, Math.floor(opts.endMs - opts.startMs))) * 1_000_000n);
  tail.message(P_PERIOD_TYPE, periodType);
  tail.uint(P_PERIOD, on ? periodNs : 1);
  for (const s of strings) w.string(P_STRING_TABLE, s);
  const head = w.finish();
  const rest = tail.finish();
  const out = new Uint8Array(head.length + rest.length);
  out.set(head);
  out.set(rest, head.length);
  return out;
}

/** gzip(Profile), what `go tool pprof` and Pyroscope/Grafana read. */
export function encodePprof(rows: Iterable<FoldedRow>, opts: PprofOptions): Buffer {
  return gzipSync(encodeProfile(rows, opts));
}
