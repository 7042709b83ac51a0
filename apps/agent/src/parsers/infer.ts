/**
 * Protocol inference from payload bytes, cached per server endpoint (ip:port) so later
 * connections to the same server skip the guessing. Ports are only a tie-breaker for
 * orientation, never the protocol decision.
 */
import type { L7Protocol } from '@zeroscope/wire';
import type { Direction, FiveTuple } from '../capture/types';
import type { AnyParser } from './registry';
import type { ParseContext } from './types';

const MAX_CACHED = 16_384;

export interface Inference {
  parser: AnyParser;
  /** direction of the bytes that were recognised */
  direction: Direction;
}

export class ProtocolCache {
  private readonly byServer = new Map<string, L7Protocol>();

  get(ip: string, port: number): L7Protocol | undefined {
    return this.byServer.get(`${ip}:${port}`);
  }

  set(ip: string, port: number, protocol: L7Protocol): void {
    if (this.byServer.size >= MAX_CACHED) this.byServer.clear();
    this.byServer.set(`${ip}:${port}`, protocol);
  }
}

/** First parser whose `infer` accepts the payload in the given direction. */
export function inferParser(
  parsers: readonly AnyParser[],
  payload: Uint8Array,
  direction: Direction,
  ctx: ParseContext,
): AnyParser | undefined {
  for (const p of parsers) {
    if (p.infer(payload, direction, ctx)) return p;
  }
  return undefined;
}

/** Ports whose owner is almost always the server; used only when bytes and cache say nothing. */
const SERVER_PORTS = new Set([
  21, 22, 25, 53, 80, 110, 143, 443, 853, 1883, 2181, 3000, 3306, 4000, 5432, 5672, 6379, 8080, 8443, 8883,
  9000, 9092, 9093, 11211, 15672, 27017,
]);

/**
 * Is the sender of this first-seen payload the client? Decided by (1) the endpoint cache,
 * (2) a parser recognising the bytes as a request or a response, (3) port heuristics.
 */
export function senderIsClient(
  payload: Uint8Array,
  t: FiveTuple,
  parsers: readonly AnyParser[],
  cache: ProtocolCache,
): boolean {
  if (cache.get(t.dstIp, t.dstPort)) return true;
  if (cache.get(t.srcIp, t.srcPort)) return false;
  const ctxTo = { serverPort: t.dstPort, gap: false, totalLength: payload.length, transport: t.protocol };
  if (inferParser(parsers, payload, 'request', ctxTo)) return true;
  const ctxFrom = { serverPort: t.srcPort, gap: false, totalLength: payload.length, transport: t.protocol };
  if (inferParser(parsers, payload, 'response', ctxFrom)) return false;
  const dstKnown = SERVER_PORTS.has(t.dstPort);
  const srcKnown = SERVER_PORTS.has(t.srcPort);
  if (dstKnown !== srcKnown) return dstKnown;
  return t.dstPort <= t.srcPort;
}
