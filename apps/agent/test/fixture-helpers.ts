/**
 * Helpers for tests over the DeepFlow fixtures (pcaps + DeepFlow's expected `.result` output,
 * a meaning-level oracle) and over our own captures in test/captures/.
 *
 *   const logs = await replayFixture('http/httpv1.pcap');
 *   const expected = await readResult('http/httpv1.result'); // one parsed object per line
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RequestLog } from '@zeroscope/wire';
import { type ReplayOptions, replayBytes } from '../src/replay';

export const FIXTURES_DIR =
  process.env.ZEROSCOPE_DEEPFLOW_FIXTURES ??
  '/work/shared/fixtures/deepflow/agent/resources/test/flow_generator';
export const fixturesAvailable = existsSync(FIXTURES_DIR);
export const CAPTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'captures');

/** Replay a pcap under the DeepFlow flow_generator fixture folder (e.g. 'http/httpv1.pcap'). */
export async function replayFixture(relPath: string, opts: ReplayOptions = {}): Promise<RequestLog[]> {
  return replayBytes(await readFile(join(FIXTURES_DIR, relPath)), opts);
}

/** Replay one of our own captures in test/captures/. */
export async function replayCapture(name: string, opts: ReplayOptions = {}): Promise<RequestLog[]> {
  return replayBytes(await readFile(join(CAPTURES_DIR, name)), opts);
}

/**
 * DeepFlow `.result` lines, each parsed into a plain object: JSON lines as JSON, Rust
 * `Debug` lines (`HttpInfo { method: Post, status_code: Some(200), .. }`) through
 * `parseDebug` (`Some(x)` -> x, `None` -> null, enum variants -> their name as a string).
 * The trailing `is_<proto>: bool` becomes `_inferred`.
 */
export async function readResult(relPath: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(FIXTURES_DIR, relPath), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const inferred = /is_\w+: (true|false)\s*$/.exec(line)?.[1] === 'true';
      if (line.startsWith('{')) {
        const end = line.lastIndexOf('}');
        return { ...(JSON.parse(line.slice(0, end + 1)) as Record<string, unknown>), _inferred: inferred };
      }
      const v = parseDebug(line);
      return {
        ...(typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {}),
        _inferred: inferred,
      };
    });
}

/** Parse one Rust `{:?}` value from the start of `s`. */
export function parseDebug(s: string): unknown {
  let i = 0;
  const ws = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const ident = () => {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
    i += m ? m[0].length : 0;
    return m ? m[0] : '';
  };
  const value = (): unknown => {
    ws();
    const c = s[i];
    if (c === '"') {
      let out = '';
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\') {
          const n = s[i + 1];
          out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
          i += 2;
        } else out += s[i++];
      }
      i++;
      return out;
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      while (i < s.length && s[i] !== ']') {
        arr.push(value());
        ws();
        if (s[i] === ',') i++;
        ws();
      }
      i++;
      return arr;
    }
    if (c !== undefined && /[-0-9]/.test(c)) {
      const m = /^-?[0-9][0-9.]*(e-?[0-9]+)?[a-zµ]*/.exec(s.slice(i))!;
      i += m[0].length;
      const n = Number(m[0]);
      return Number.isNaN(n) ? m[0] : n;
    }
    const name = ident();
    ws();
    if (s[i] === '(') {
      i++;
      const args: unknown[] = [];
      ws();
      while (i < s.length && s[i] !== ')') {
        args.push(value());
        ws();
        if (s[i] === ',') i++;
        ws();
      }
      i++;
      return name === 'Some' || args.length === 1 ? args[0] : args;
    }
    if (s[i] === '{') {
      i++;
      const obj: Record<string, unknown> = { _type: name };
      ws();
      while (i < s.length && s[i] !== '}') {
        const key = ident();
        ws();
        if (s[i] === ':') i++;
        obj[key] = value();
        ws();
        if (s[i] === ',') i++;
        ws();
      }
      i++;
      return obj;
    }
    if (name === 'None') return null;
    if (name === 'true' || name === 'false') return name === 'true';
    if (name === '') {
      i++;
      return undefined;
    }
    return name;
  };
  return value();
}

/** `PrioField { field: "x" }` / `PrioFields([..])` -> the field string(s). */
export function prio(v: unknown): string {
  if (Array.isArray(v)) return v.map(prio).filter(Boolean).join(',');
  if (v && typeof v === 'object' && 'field' in v) return String((v as { field: unknown }).field);
  return v === null || v === undefined ? '' : String(v);
}
