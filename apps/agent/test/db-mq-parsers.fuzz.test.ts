/**
 * Fuzz of the MySQL, PostgreSQL, Redis, Kafka, MQTT and AMQP parsers: ≥100k random and
 * mutated inputs each (fixed seed), built from real payloads of the DeepFlow fixtures and
 * our captures, fed in random splits with gaps and truncation. No throw; state stays bounded.
 */
import { describe, expect, it } from 'vitest';
import type { Direction } from '../src/capture/types';
import { amqpParser } from '../src/parsers/amqp';
import { kafkaParser } from '../src/parsers/kafka';
import { mqttParser } from '../src/parsers/mqtt';
import { mysqlParser } from '../src/parsers/mysql';
import { postgresqlParser } from '../src/parsers/postgresql';
import { redisParser } from '../src/parsers/redis';
import { MAX_BUFFERED, type ProtocolParser } from '../src/parsers/types';
import { CAPTURES_DIR, FIXTURES_DIR } from './fixture-helpers';
import { readTcpSegments } from './l7-pcap-helper';

const INPUTS = 100_000;
/** two directions of buffered frame bytes, inner compressed buffers, plus bounded maps */
const STATE_BOUND = 6 * MAX_BUFFERED + 512 * 1024;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

/** Rough retained size: bytes, string lengths, collection entries (depth-bounded). */
function sizeOf(v: unknown, depth = 0): number {
  if (depth > 6 || v === null || v === undefined) return 0;
  if (v instanceof Uint8Array) return v.length;
  if (typeof v === 'string') return v.length;
  if (typeof v !== 'object') return 8;
  if (v instanceof Map) {
    let n = 0;
    for (const [k, x] of v) n += 16 + sizeOf(k, depth + 1) + sizeOf(x, depth + 1);
    return n;
  }
  let n = 0;
  for (const x of Object.values(v as object)) n += 8 + sizeOf(x, depth + 1);
  return n;
}

interface Corpus {
  payloads: { bytes: Uint8Array; direction: Direction }[];
}

function corpus(files: string[], port: number): Corpus {
  const payloads: Corpus['payloads'] = [];
  for (const f of files) {
    for (const s of readTcpSegments(f)) {
      if (s.payload.length === 0) continue;
      payloads.push({
        bytes: s.payload.slice(0, 4096),
        direction: s.dstPort === port ? 'request' : 'response',
      });
    }
  }
  return { payloads };
}

function mutate(src: Uint8Array, next: () => number): Uint8Array {
  const out = Uint8Array.from(src);
  const kind = Math.floor(next() * 5);
  if (kind === 0) return out.subarray(0, Math.floor(next() * out.length));
  const flips = 1 + Math.floor(next() * 8);
  for (let i = 0; i < flips && out.length > 0; i++) {
    const at = Math.floor(next() * out.length);
    out[at] = kind === 1 ? 0xff : kind === 2 ? 0 : Math.floor(next() * 256);
  }
  return out;
}

function fuzz<S>(parser: ProtocolParser<S>, c: Corpus, seed: number): { maxState: number; messages: number } {
  const next = rng(seed);
  let state = parser.newState();
  let maxState = 0;
  let messages = 0;
  for (let i = 0; i < INPUTS; i++) {
    if (i % 20_000 === 0) state = parser.newState();
    let bytes: Uint8Array;
    let direction: Direction;
    const pick = c.payloads[Math.floor(next() * c.payloads.length)]!;
    if (next() < 0.15) {
      bytes = new Uint8Array(Math.floor(next() * 64));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(next() * 256);
      direction = next() < 0.5 ? 'request' : 'response';
    } else {
      bytes = next() < 0.5 ? pick.bytes : mutate(pick.bytes, next);
      direction = pick.direction;
    }
    const cut = Math.floor(next() * (bytes.length + 1));
    const truncated = next() < 0.05;
    const parts = next() < 0.3 ? [bytes.subarray(0, cut), bytes.subarray(cut)] : [bytes];
    for (const part of parts) {
      const ctx = {
        serverPort: 0,
        gap: next() < 0.03,
        totalLength: truncated ? part.length + 1 + Math.floor(next() * 100_000) : part.length,
      };
      parser.infer(part, direction, ctx);
      messages += parser.feed(state, part, direction, i, ctx).length;
    }
    if (i % 97 === 0) maxState = Math.max(maxState, sizeOf(state));
  }
  return { maxState, messages };
}

const F = (p: string) => `${FIXTURES_DIR}/${p}`;
const C = (p: string) => `${CAPTURES_DIR}/${p}`;

const CASES: [string, ProtocolParser<unknown>, string[], number][] = [
  [
    'mysql',
    mysqlParser as ProtocolParser<unknown>,
    [
      F('mysql/mysql.pcap'),
      F('mysql/mysql-exec.pcap'),
      F('mysql/mysql-compressed-response.pcap'),
      C('mysql-client.pcap'),
    ],
    3306,
  ],
  [
    'postgresql',
    postgresqlParser as ProtocolParser<unknown>,
    [F('postgre/pgsql-all.pcap'), C('postgresql-client.pcap')],
    5432,
  ],
  [
    'redis',
    redisParser as ProtocolParser<unknown>,
    [F('redis/redis-debug.pcap'), C('redis-client.pcap')],
    6379,
  ],
  [
    'kafka',
    kafkaParser as ProtocolParser<unknown>,
    [F('kafka/00-produce-v9.pcap'), F('kafka/01-fetch-v12-ok.pcap'), F('kafka/mixed-with-unsupported.pcap')],
    9092,
  ],
  [
    'mqtt',
    mqttParser as ProtocolParser<unknown>,
    [F('mqtt/mqtt_roundtrip.pcap'), C('mqtt-client.pcap')],
    1883,
  ],
  ['amqp', amqpParser as ProtocolParser<unknown>, [F('amqp/amqp-error.pcap'), C('amqp-client.pcap')], 5672],
];

describe('parser fuzz (fixed seed)', () => {
  for (const [name, parser, files, port] of CASES) {
    it(`${name}: ${INPUTS} inputs, no throw, bounded state`, { timeout: 120_000 }, () => {
      const c = corpus(files, port);
      expect(c.payloads.length).toBeGreaterThan(3);
      const r = fuzz(parser, c, 0x5eed + port);
      expect(r.messages).toBeGreaterThan(100);
      expect(r.maxState).toBeLessThan(STATE_BOUND);
    });
  }
});
