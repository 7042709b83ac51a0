/**
 * HTTP/1.x over one connection: keep-alive and pipelining (messages parsed back to back,
 * HEAD requests remembered so their responses carry no body), bodies skipped by framing,
 * resynchronisation on the next start line after a gap or garbage, `101` ends parsing.
 */
import type { Direction } from '../../capture/types';
import { type L7Message, MAX_BUFFERED, type ParseContext, type ProtocolParser } from '../types';
import { type BodyState, indexOfCrlf, skipBody, startBody } from './body';
import { METHODS, parseRequestHead, parseResponseHead, WANTED_LENGTHS } from './head';

interface Dir {
  /** bytes of an unfinished head or chunk-size line */
  buf: Uint8Array | undefined;
  bufTs: number;
  body: BodyState;
}

export interface Http1State {
  request: Dir;
  response: Dir;
  /** methods of requests whose responses are still due (HEAD responses have no body) */
  methods: string[];
  /** protocol switched (101): the rest of the connection is not HTTP/1 */
  upgraded: boolean;
}

const NONE: BodyState = { kind: 'none' };
const MAX_METHODS = 256;
const newDir = (): Dir => ({ buf: undefined, bufTs: 0, body: NONE });

/** Known methods as bytes, grouped by first byte: start-line checks never build strings. */
const METHOD_BYTES = new Map<number, Uint8Array[]>();
for (const m of METHODS) {
  const b = new Uint8Array(Buffer.from(`${m} `, 'latin1'));
  METHOD_BYTES.set(b[0]!, [...(METHOD_BYTES.get(b[0]!) ?? []), b]);
}

function methodAt(d: Uint8Array, pos: number): boolean {
  const candidates = METHOD_BYTES.get(d[pos]!);
  if (!candidates) return false;
  outer: for (const m of candidates) {
    if (pos + m.length > d.length) continue;
    for (let i = 1; i < m.length; i++) if (d[pos + i] !== m[i]) continue outer;
    return true;
  }
  return false;
}

function responseAt(d: Uint8Array, pos: number): boolean {
  // "HTTP/1."
  return (
    d[pos] === 72 &&
    d[pos + 1] === 84 &&
    d[pos + 2] === 84 &&
    d[pos + 3] === 80 &&
    d[pos + 4] === 47 &&
    d[pos + 5] === 49 &&
    d[pos + 6] === 46
  );
}

// "PRI * HTTP/2.0" (the HTTP/2 preface) is not an HTTP/1 request: PRI is not in METHODS
function startsAt(d: Uint8Array, pos: number, dir: Direction): boolean {
  return dir === 'request' ? methodAt(d, pos) : responseAt(d, pos);
}

/** Next position at or after `from` where a message of this direction starts, or -1. */
function findStart(d: Uint8Array, from: number, dir: Direction): number {
  for (let i = from; i < d.length; i++) {
    if ((i === from || d[i - 1] === 10) && startsAt(d, i, dir)) return i;
  }
  return -1;
}

const asBuffer = (d: Uint8Array) =>
  Buffer.isBuffer(d) ? d : Buffer.from(d.buffer, d.byteOffset, d.byteLength);

function indexOfHeadEnd(d: Uint8Array, from: number): number {
  for (let i = d.indexOf(13, from); i >= 0 && i + 3 < d.length; i = d.indexOf(13, i + 1)) {
    if (d[i + 1] === 10 && d[i + 2] === 13 && d[i + 3] === 10) return i;
  }
  return -1;
}

/**
 * The start line plus only the header lines whose name length matches a header we read:
 * most headers are never turned into strings.
 */
function headLines(d: Uint8Array, start: number, end: number): string[] {
  const lines: string[] = [];
  let lineStart = start;
  let colon = -1;
  // one pass over the head bytes: line ends and the first colon of each line
  for (let i = start; i <= end; i++) {
    const c = i < end ? d[i]! : 13;
    if (c === 58 && colon < 0) colon = i;
    else if (c === 13 && (i >= end || d[i + 1] === 10)) {
      if (lines.length === 0 || (colon > lineStart && WANTED_LENGTHS.has(colon - lineStart))) {
        lines.push(latin1(d, lineStart, i));
      }
      i++;
      lineStart = i + 1;
      colon = -1;
    }
  }
  return lines;
}

/** Short lines are cheaper to build by hand than through a Buffer view. */
function latin1(d: Uint8Array, from: number, to: number): string {
  if (to - from > 16) return asBuffer(d).toString('latin1', from, to);
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(d[i]!);
  return s;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function parseHead(s: Http1State, data: Uint8Array, start: number, end: number, dir: Direction) {
  const lines = headLines(data, start, end);
  return dir === 'request' ? parseRequestHead(lines) : parseResponseHead(lines, s.methods[0]);
}

/** A buffered head that will never complete, parsed from the lines it has (first line needed). */
function flushHead(s: Http1State, dir: Direction): L7Message[] {
  const d = s[dir];
  const buf = d.buf;
  if (!buf || d.body.kind !== 'none' || indexOfCrlf(buf, 0) < 0) return [];
  d.buf = undefined;
  const head = parseHead(s, buf, 0, buf.length, dir);
  if (!head) return [];
  if (dir === 'request') {
    if (s.methods.length < MAX_METHODS) s.methods.push(head.method!);
  } else s.methods.shift();
  return [{ direction: dir, ts: d.bufTs, length: buf.length, fields: head.fields }];
}

export const http1Parser: ProtocolParser<Http1State> = {
  protocol: 'http1',
  infer(payload, direction) {
    if (direction === 'request')
      return methodAt(payload, 0) && [47, 104, 42].includes(payload[payload.indexOf(32) + 1]!);
    return responseAt(payload, 0) && payload[8] === 32 && payload[9]! >= 49 && payload[9]! <= 53;
  },
  newState: () => ({ request: newDir(), response: newDir(), methods: [], upgraded: false }),
  feed(s, payload, dir, ts, ctx: ParseContext) {
    if (s.upgraded) return [];
    // a response starting means its request was sent whole: parse a head cut by lost segments
    const out: L7Message[] = dir === 'response' && s.request.buf ? flushHead(s, 'request') : [];
    const d = s[dir];
    if (ctx.gap) {
      d.buf = undefined;
      d.body = NONE;
    }
    const msgTs = d.buf ? d.bufTs : ts;
    const data = d.buf ? concat(d.buf, payload) : payload;
    d.buf = undefined;
    const truncated = ctx.totalLength > payload.length;
    let pos = 0;
    while (pos < data.length) {
      if (d.body.kind !== 'none') {
        const r = skipBody(d.body, data, pos);
        if (r.pos < 0) {
          d.body = NONE;
          pos++;
          continue;
        }
        pos = r.pos;
        d.body = r.state;
        if (d.body.kind !== 'none') {
          if (pos < data.length) {
            d.buf = data.slice(pos);
            d.bufTs = ts;
          }
          break;
        }
        continue;
      }
      if (!startsAt(data, pos, dir)) {
        pos = findStart(data, pos, dir);
        if (pos < 0) break;
      }
      let end = indexOfHeadEnd(data, pos);
      let headLen = end + 4 - pos;
      if (end < 0) {
        if (!truncated && data.length - pos <= MAX_BUFFERED) {
          d.buf = data === payload ? data.slice(pos) : data.subarray(pos);
          d.bufTs = pos === 0 ? msgTs : ts;
          break;
        }
        // capture cut the head (or it is absurdly long): use the lines we have
        end = data.length;
        headLen = data.length - pos;
      }
      const head = parseHead(s, data, pos, end, dir);
      if (!head) {
        pos++;
        continue;
      }
      pos += headLen;
      d.body = startBody(head.framing);
      const bodyLen = head.framing.kind === 'length' ? head.framing.length : 0;
      if (dir === 'request') {
        if (s.methods.length < MAX_METHODS) s.methods.push(head.method!);
      } else {
        const code = head.status!;
        if (code === 101) s.upgraded = true;
        else if (code < 200) continue; // interim response; the final one follows
        s.methods.shift();
      }
      out.push({
        direction: dir,
        ts: out.length === 0 ? msgTs : ts,
        length: headLen + bodyLen,
        fields: head.fields,
      });
      if (s.upgraded) break;
    }
    if (truncated) {
      // the rest of this message never reaches us; the next chunk starts elsewhere
      d.buf = undefined;
      d.body = NONE;
    }
    if (d.buf && d.buf.length > MAX_BUFFERED) d.buf = undefined;
    return out;
  },
  flush: flushHead,
};
