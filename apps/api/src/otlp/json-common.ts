/**
 * OTLP/JSON (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding) helpers: field
 * access that tolerates any JSON shape, ids in hex (or base64 from non-conforming senders),
 * 64-bit integers as strings or numbers, and enums as integers or names.
 */
import type { AttrValue, DecodeLimits, KeyValue } from './model';

export type Json = unknown;

export const isObj = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const arr = (v: Json): Json[] => (Array.isArray(v) ? v : []);
export const obj = (v: Json): Record<string, Json> => (isObj(v) ? v : {});
export const str = (v: Json): string => (typeof v === 'string' ? v : '');

export function num(v: Json): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isNaN(n) && !/^[+-]?(nan|inf(inity)?)$/i.test(v) ? undefined : n;
  }
  return undefined;
}

/** Nanoseconds (string or number) -> µs. */
export const nanosToUs = (v: Json): number => Math.max(0, Math.floor((num(v) ?? 0) / 1000));

/** An enum given as an integer or by name (e.g. SPAN_KIND_SERVER), against its names. */
export function enumValue(v: Json, names: readonly string[]): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') {
    const i = names.indexOf(v);
    if (i >= 0) return i;
    const n = Number(v);
    if (Number.isInteger(n)) return n;
  }
  return 0;
}

/** Hex id; base64 ids (some senders) are converted; all-zero ids become ''. */
export function jsonId(v: Json, bytes: number): string {
  const s = str(v);
  if (s === '') return '';
  let hex = '';
  if (new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(s)) hex = s.toLowerCase();
  else {
    const b = Buffer.from(s, 'base64');
    if (b.length !== bytes) return '';
    hex = b.toString('hex');
  }
  return /^0+$/.test(hex) ? '' : hex;
}

export function anyValue(v: Json, lim: DecodeLimits, depth: number): AttrValue {
  const o = obj(v);
  if ('stringValue' in o) return str(o.stringValue);
  if ('boolValue' in o) return o.boolValue === true;
  if ('intValue' in o) return num(o.intValue) ?? 0;
  if ('doubleValue' in o) return num(o.doubleValue) ?? 0;
  if ('bytesValue' in o) return str(o.bytesValue);
  if (depth >= lim.maxDepth) return null;
  if ('arrayValue' in o)
    return arr(obj(o.arrayValue).values)
      .slice(0, lim.maxAttributes)
      .map((x) => anyValue(x, lim, depth + 1));
  if ('kvlistValue' in o) {
    const out: { [k: string]: AttrValue } = Object.create(null);
    for (const kv of keyValues(obj(o.kvlistValue).values, lim, depth + 1)) out[kv.key] = kv.value;
    return out;
  }
  return null;
}

export function keyValues(v: Json, lim: DecodeLimits, depth = 0): KeyValue[] {
  return arr(v)
    .slice(0, lim.maxAttributes)
    .map((kv) => ({ key: str(obj(kv).key), value: anyValue(obj(kv).value, lim, depth) }));
}

/** Parses the body; JSON.parse's exception becomes an error string. */
export function parseJson(bytes: Uint8Array): { ok: true; value: Json } | { ok: false; error: string } {
  try {
    return {
      ok: true,
      value: JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8')),
    };
  } catch (err) {
    return { ok: false, error: `malformed JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * Walks resourceX[].scopeX[].items[], calling `item` for each; returns false once `max`
 * items were visited (the caller reports the limit).
 */
export function walkJson(
  root: Json,
  keys: { resources: string; scopes: string; items: string },
  lim: DecodeLimits,
  item: (v: Json, resource: KeyValue[], scope: string) => number,
): boolean {
  let n = 0;
  for (const rs of arr(obj(root)[keys.resources])) {
    const resource = keyValues(obj(obj(rs).resource).attributes, lim);
    for (const ss of arr(obj(rs)[keys.scopes])) {
      const scope = str(obj(obj(ss).scope).name);
      for (const it of arr(obj(ss)[keys.items])) {
        n += item(it, resource, scope);
        if (n > lim.maxItems) return false;
      }
    }
  }
  return true;
}
