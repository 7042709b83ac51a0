/** Random and mutated queries: the compiler returns or throws QueryError, nothing else. */
import { describe, expect, it } from 'vitest';
import { GOLDEN } from './golden.cases';
import { compileQuery, QueryError } from './index';

const RANGE = { start: 1_700_000_000, end: 1_700_003_600 };

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCAB = [
  'SELECT',
  'FROM',
  'WHERE',
  'GROUP',
  'BY',
  'ORDER',
  'HAVING',
  'LIMIT',
  'OFFSET',
  'SLIMIT',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'ILIKE',
  'AS',
  'DESC',
  'ASC',
  'SHOW',
  'TAGS',
  'TAG',
  'VALUES',
  'METRICS',
  'TABLES',
  'l7_flow_log',
  'l4_flow_log',
  'pod',
  'pod_0',
  'pod_1',
  'auto_service',
  'auto_instance_1',
  'ip_0',
  'time',
  'endpoint',
  'response_code',
  'l7_protocol',
  'k8s.label.app',
  '`k8s.annotation.a/b`',
  'row',
  'request',
  'error_ratio',
  'response_duration',
  'byte',
  'rtt',
  'Count',
  'Sum',
  'Avg',
  'Max',
  'Min',
  'Percentile',
  'rate',
  'Uniq',
  'time(time, 60)',
  '(',
  ')',
  ',',
  '*',
  '=',
  '!=',
  '<',
  '>=',
  '-',
  "'x'",
  "'10.0.0.1'",
  "'http1'",
  '0',
  '1',
  '99',
  '1.5',
  '1e3',
  ';',
  '--',
  '"',
  '`',
  "'",
  '/*',
  '\u0000',
  'é',
];
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz_0123456789 ()\',*=<>!-.`;"\\%\n\t';

function randomQuery(r: () => number): string {
  const n = 1 + Math.floor(r() * 24);
  const parts: string[] = [];
  if (r() < 0.7) parts.push(r() < 0.85 ? 'SELECT' : 'SHOW');
  for (let i = 0; i < n; i++) parts.push(VOCAB[Math.floor(r() * VOCAB.length)]!);
  return parts.join(r() < 0.9 ? ' ' : '');
}

function mutate(q: string, r: () => number): string {
  let s = q;
  const edits = 1 + Math.floor(r() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(r() * (s.length + 1));
    const op = r();
    if (op < 0.33) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 5));
    else if (op < 0.66) s = s.slice(0, at) + ALPHABET[Math.floor(r() * ALPHABET.length)]! + s.slice(at);
    else s = s.slice(0, at) + VOCAB[Math.floor(r() * VOCAB.length)]! + s.slice(at);
  }
  return s;
}

describe('parser fuzz', () => {
  it('handles 60k random and mutated queries with results or QueryErrors only', () => {
    const r = rng(20_261_101);
    const seeds = GOLDEN.map(([q]) => q);
    const stats = { ok: 0, lex: 0, parse: 0, resolve: 0, emit: 0 };
    for (let i = 0; i < 60_000; i++) {
      const q = i % 2 ? randomQuery(r) : mutate(seeds[i % seeds.length]!, r);
      try {
        const out = compileQuery(q, RANGE);
        stats.ok++;
        if (out.kind === 'sql' && /;|--|\/\*/.test(out.sql))
          throw new Error(`SQL control text for ${JSON.stringify(q)}`);
      } catch (e) {
        if (!(e instanceof QueryError))
          throw new Error(`non-QueryError for ${JSON.stringify(q)}: ${String(e)}`);
        if (e.message.startsWith('internal'))
          throw new Error(`internal error for ${JSON.stringify(q)}: ${e.message}`);
        stats[e.stage]++;
      }
    }
    expect(stats.emit).toBe(0);
    // The corpus must exercise every stage, including queries that compile.
    expect(Math.min(stats.ok, stats.lex, stats.parse, stats.resolve)).toBeGreaterThan(100);
  }, 120_000);
});
