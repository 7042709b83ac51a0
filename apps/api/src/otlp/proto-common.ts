/**
 * opentelemetry-proto common.proto / resource.proto over the cursor: AnyValue, KeyValue,
 * Resource and InstrumentationScope. Unknown fields are skipped (forward compatible).
 */
import type { AttrValue, DecodeLimits, KeyValue } from './model';
import { type ProtoCursor, WIRE } from './proto';

function bytesToBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

/** AnyValue: 1 string, 2 bool, 3 int, 4 double, 5 array, 6 kvlist, 7 bytes. */
export function readAnyValue(c: ProtoCursor, lim: DecodeLimits, depth: number): AttrValue {
  let out: AttrValue = null;
  for (let t = c.tag(); t; t = c.tag()) {
    if (t.field === 1 && t.wire === WIRE.len) out = c.string() ?? '';
    else if (t.field === 2 && t.wire === WIRE.varint) out = c.bool() ?? false;
    else if (t.field === 3 && t.wire === WIRE.varint) out = c.int64() ?? 0;
    else if (t.field === 4 && t.wire === WIRE.i64) out = c.double() ?? 0;
    else if (t.field === 7 && t.wire === WIRE.len) {
      const b = c.bytes();
      out = b ? bytesToBase64(b) : '';
    } else if ((t.field === 5 || t.field === 6) && t.wire === WIRE.len) {
      const inner = c.message();
      if (!inner) break;
      if (depth >= lim.maxDepth) {
        out = null; // too deep: dropped, not decoded
        continue;
      }
      if (t.field === 5) {
        const arr: AttrValue[] = [];
        for (let u = inner.tag(); u; u = inner.tag()) {
          if (u.field === 1 && u.wire === WIRE.len) {
            const m = inner.message();
            if (!m) break;
            const v = readAnyValue(m, lim, depth + 1);
            inner.adopt(m);
            if (arr.length < lim.maxAttributes) arr.push(v);
          } else inner.skip(u.wire);
        }
        out = arr;
      } else {
        const obj: { [k: string]: AttrValue } = Object.create(null);
        for (const kv of readKeyValues(inner, lim, depth + 1)) obj[kv.key] = kv.value;
        out = obj;
      }
      c.adopt(inner);
    } else c.skip(t.wire);
  }
  return out;
}

/** Repeated KeyValue (field 1 of KeyValueList) read until the cursor ends. */
export function readKeyValues(c: ProtoCursor, lim: DecodeLimits, depth: number): KeyValue[] {
  const out: KeyValue[] = [];
  for (let t = c.tag(); t; t = c.tag()) {
    if (t.field === 1 && t.wire === WIRE.len) {
      const m = c.message();
      if (!m) break;
      const kv = readKeyValue(m, lim, depth);
      c.adopt(m);
      if (kv && out.length < lim.maxAttributes) out.push(kv);
    } else c.skip(t.wire);
  }
  return out;
}

/** KeyValue: 1 key, 2 value. */
export function readKeyValue(c: ProtoCursor, lim: DecodeLimits, depth: number): KeyValue | undefined {
  let key = '';
  let value: AttrValue = null;
  for (let t = c.tag(); t; t = c.tag()) {
    if (t.field === 1 && t.wire === WIRE.len) key = c.string() ?? '';
    else if (t.field === 2 && t.wire === WIRE.len) {
      const m = c.message();
      if (!m) break;
      value = readAnyValue(m, lim, depth);
      c.adopt(m);
    } else c.skip(t.wire);
  }
  return c.bad ? undefined : { key, value };
}

/** Reads one embedded KeyValue message into `into` (repeated `attributes` fields). */
export function pushAttribute(c: ProtoCursor, lim: DecodeLimits, into: KeyValue[]): void {
  const m = c.message();
  if (!m) return;
  const kv = readKeyValue(m, lim, 0);
  c.adopt(m);
  if (kv && into.length < lim.maxAttributes) into.push(kv);
}

/** Resource: 1 attributes. */
export function readResource(c: ProtoCursor, lim: DecodeLimits): KeyValue[] {
  const attrs: KeyValue[] = [];
  for (let t = c.tag(); t; t = c.tag()) {
    if (t.field === 1 && t.wire === WIRE.len) pushAttribute(c, lim, attrs);
    else c.skip(t.wire);
  }
  return attrs;
}

/** InstrumentationScope: 1 name (version and attributes are not kept). */
export function readScopeName(c: ProtoCursor): string {
  let name = '';
  for (let t = c.tag(); t; t = c.tag()) {
    if (t.field === 1 && t.wire === WIRE.len) name = c.string() ?? '';
    else c.skip(t.wire);
  }
  return name;
}

/**
 * Walks an envelope `ResourceX { 1 resource, 2 scopeX }` / `ScopeX { 1 scope, 2 items }`
 * pair, calling `item` with a cursor on each item and its resource/scope.
 */
export function walkEnvelopes(
  root: ProtoCursor,
  lim: DecodeLimits,
  item: (c: ProtoCursor, resource: KeyValue[], scope: string) => void,
): void {
  for (let t = root.tag(); t; t = root.tag()) {
    if (t.field !== 1 || t.wire !== WIRE.len) {
      root.skip(t.wire);
      continue;
    }
    const rs = root.message();
    if (!rs) break;
    // resource comes first in practice, but the wire allows any order: read it first.
    let resource: KeyValue[] = [];
    const scopes: ProtoCursor[] = [];
    for (let u = rs.tag(); u; u = rs.tag()) {
      if (u.field === 1 && u.wire === WIRE.len) {
        const m = rs.message();
        if (!m) break;
        resource = readResource(m, lim);
        rs.adopt(m);
      } else if (u.field === 2 && u.wire === WIRE.len) {
        const m = rs.message();
        if (m) scopes.push(m);
      } else rs.skip(u.wire);
    }
    root.adopt(rs);
    for (const ss of scopes) {
      let scope = '';
      const items: ProtoCursor[] = [];
      for (let u = ss.tag(); u; u = ss.tag()) {
        if (u.field === 1 && u.wire === WIRE.len) {
          const m = ss.message();
          if (!m) break;
          scope = readScopeName(m);
          ss.adopt(m);
        } else if (u.field === 2 && u.wire === WIRE.len) {
          const m = ss.message();
          if (m) items.push(m);
        } else ss.skip(u.wire);
      }
      root.adopt(ss);
      for (const m of items) {
        item(m, resource, scope);
        root.adopt(m);
        if (root.bad) return;
      }
    }
    if (root.bad) return;
  }
}
