/**
 * Every protocol parser the agent knows, in inference order (most specific signature first:
 * the HTTP/2 preface before HTTP/1's request line, binary protocols with magic numbers before
 * loose ones). Add a parser by importing it and listing it in PARSERS.
 */
import type { L7Protocol } from '@zeroscope/wire';
import { amqpParser } from './amqp';
import { dnsParser } from './dns';
import { http1Parser } from './http1';
import { http2Parser } from './http2';
import { kafkaParser } from './kafka';
import { mqttParser } from './mqtt';
import { mysqlParser } from './mysql';
import { postgresqlParser } from './postgresql';
import { redisParser } from './redis';
import { tlsParser } from './tls';
import type { ProtocolParser } from './types';

// biome-ignore lint/suspicious/noExplicitAny: each parser has its own state type
export type AnyParser = ProtocolParser<any>;

export const PARSERS: readonly AnyParser[] = [
  http2Parser,
  tlsParser,
  http1Parser,
  kafkaParser,
  mqttParser,
  amqpParser,
  mysqlParser,
  postgresqlParser,
  redisParser,
  dnsParser,
];

/** Protocols a parser emits besides its own name (gRPC rides on the HTTP/2 parser). */
const ALIASES: Partial<Record<L7Protocol, L7Protocol>> = { grpc: 'http2' };

/** Parsers enabled by a protocol list (all when the list is absent). */
export function parsersFor(protocols?: readonly L7Protocol[]): AnyParser[] {
  if (!protocols) return [...PARSERS];
  const wanted = new Set(protocols.map((p) => ALIASES[p] ?? p));
  return PARSERS.filter((p) => wanted.has(p.protocol));
}
