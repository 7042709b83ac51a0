/**
 * Fuzzing the parsers this folder's owner wrote (HTTP/1, HTTP/2+HPACK, TLS, DNS): 100k+
 * random and mutated inputs each, built from real captured messages, with a fixed seed.
 * A parser must never throw and must keep its per-connection state bounded.
 */
import { describe, expect, it } from 'vitest';
import { dnsParser } from '../../src/parsers/dns';
import { http1Parser } from '../../src/parsers/http1';
import { http2Parser } from '../../src/parsers/http2';
import { tlsParser } from '../../src/parsers/tls';
import { MAX_BUFFERED, type ProtocolParser } from '../../src/parsers/types';
import { PORTS } from '../captures/scenarios';
import { FIXTURES_DIR, fixturesAvailable } from '../fixture-helpers';
import { fuzzParser, type Seed, seedsFromCapture } from './fuzz-helpers';

const capture = (name: string) => new URL(`../captures/${name}`, import.meta.url);
const fixture = (rel: string, port: number): Seed[] =>
  fixturesAvailable ? seedsFromCapture(`${FIXTURES_DIR}/${rel}`, port) : [];

const ITERATIONS = 100_000;
/** Per-connection state may hold one maximal buffered message per direction plus tables. */
const STATE_BOUND = 4 * MAX_BUFFERED + 256 * 1024;

const cases: [string, ProtocolParser<unknown>, () => Seed[], ('tcp' | 'udp')?][] = [
  [
    'http1',
    http1Parser as ProtocolParser<unknown>,
    () => [...seedsFromCapture(capture('http1.pcap'), PORTS.http1), ...fixture('http/sw8.pcap', 20880)],
  ],
  [
    'http2',
    http2Parser as ProtocolParser<unknown>,
    () => [
      ...seedsFromCapture(capture('http2.pcap'), PORTS.http2),
      ...fixture('http/grpc-server-stream.pcap', 9001),
      ...fixture('http/h2c_ascii.pcap', 7070),
    ],
  ],
  ['tls', tlsParser as ProtocolParser<unknown>, () => seedsFromCapture(capture('tls.pcap'), PORTS.tls)],
  [
    'dns (udp)',
    dnsParser as ProtocolParser<unknown>,
    () => seedsFromCapture(capture('dns.pcap'), PORTS.dns),
    'udp',
  ],
  [
    'dns (tcp)',
    dnsParser as ProtocolParser<unknown>,
    () => [...seedsFromCapture(capture('dns.pcap'), PORTS.dns), ...fixture('dns/dns-tcp-multi.pcap', 53)],
    'tcp',
  ],
];

describe('parser fuzzing (fixed seed)', () => {
  for (const [name, parser, seeds, transport] of cases) {
    it(`${name}: ${ITERATIONS} inputs, no throw, bounded state`, { timeout: 120_000 }, () => {
      const s = seeds();
      expect(s.length).toBeGreaterThan(2);
      const res = fuzzParser(parser, s, { iterations: ITERATIONS, seed: 0x5eed + name.length, transport });
      expect(res.inputs).toBe(ITERATIONS);
      expect(res.messages).toBeGreaterThan(100); // unmutated seeds still parse
      expect(res.maxStateBytes).toBeLessThan(STATE_BOUND);
    });
  }
});
