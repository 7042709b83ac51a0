/**
 * One DNS message (RFC 1035): header, first question, and answer/authority records rendered
 * as `TYPE=value TTL=n` joined by "; " (the response_result). Name compression is followed
 * with a hop bound, so loops in hostile messages end.
 */

import { ipv6Text } from '../../capture/packet';
import { Cursor } from '../cursor';

export const QTYPES: Record<number, string> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  6: 'SOA',
  12: 'PTR',
  13: 'HINFO',
  15: 'MX',
  16: 'TXT',
  28: 'AAAA',
  33: 'SRV',
  35: 'NAPTR',
  39: 'DNAME',
  41: 'OPT',
  43: 'DS',
  46: 'RRSIG',
  47: 'NSEC',
  48: 'DNSKEY',
  52: 'TLSA',
  64: 'SVCB',
  65: 'HTTPS',
  99: 'SPF',
  252: 'AXFR',
  255: 'ANY',
  257: 'CAA',
};

export interface DnsMessage {
  id: number;
  isResponse: boolean;
  opcode: number;
  rcode: number;
  qname: string;
  qtype: number;
  /** rendered answer + authority records */
  result: string;
}

const MAX_NAME_HOPS = 32;
const MAX_RECORDS = 32;

/** Read a possibly compressed name starting at `c.pos`; advances past it. */
export function readName(c: Cursor): string | undefined {
  const b = c.bytes;
  const labels: string[] = [];
  let pos = c.pos;
  let resume = -1;
  for (let hops = 0; hops <= MAX_NAME_HOPS; ) {
    const len = b[pos];
    if (len === undefined) return undefined;
    if (len === 0) {
      c.pos = resume >= 0 ? resume : pos + 1;
      return labels.join('.');
    }
    if ((len & 0xc0) === 0xc0) {
      const lo = b[pos + 1];
      if (lo === undefined) return undefined;
      if (resume < 0) resume = pos + 2;
      pos = ((len & 0x3f) << 8) | lo;
      hops++;
      continue;
    }
    if (len & 0xc0 || pos + 1 + len > b.length) return undefined;
    let label = '';
    for (let i = pos + 1; i <= pos + len; i++) label += String.fromCharCode(b[i]!);
    labels.push(label);
    pos += 1 + len;
    if (labels.length > 127) return undefined;
  }
  return undefined;
}

function rdataText(c: Cursor, type: number, len: number): string | undefined {
  const start = c.pos;
  const end = start + len;
  let v: string | undefined;
  switch (type) {
    case 1:
      v =
        len === 4
          ? `${c.bytes[start]}.${c.bytes[start + 1]}.${c.bytes[start + 2]}.${c.bytes[start + 3]}`
          : undefined;
      break;
    case 28:
      v = len === 16 ? ipv6Text(c.bytes, start) : undefined;
      break;
    case 2:
    case 5:
    case 12:
    case 39:
    case 6: // SOA: primary name server
      v = readName(c);
      break;
    case 15:
      c.skip(2);
      v = readName(c);
      break;
    case 16: {
      const n = c.bytes[start];
      v =
        n === undefined
          ? undefined
          : Buffer.from(c.bytes.subarray(start + 1, start + 1 + n)).toString('latin1');
      break;
    }
  }
  c.pos = end;
  return v;
}

export function parseDnsMessage(bytes: Uint8Array): DnsMessage | undefined {
  const c = new Cursor(bytes);
  const id = c.u16();
  const flags = c.u16();
  const qd = c.u16();
  const an = c.u16();
  const ns = c.u16();
  const ar = c.u16();
  if (id === undefined || flags === undefined || qd === undefined || an === undefined || ns === undefined)
    return undefined;
  if (ar === undefined || qd !== 1) return undefined;
  const opcode = (flags >> 11) & 0xf;
  if (opcode > 6) return undefined;
  const qname = readName(c);
  const qtype = c.u16();
  if (qname === undefined || qtype === undefined || c.u16() === undefined) return undefined;
  const parts: string[] = [];
  const records = Math.min(an + ns, MAX_RECORDS);
  for (let i = 0; i < records; i++) {
    if (readName(c) === undefined) break;
    const type = c.u16();
    c.u16();
    const ttl = c.u32();
    const len = c.u16();
    if (type === undefined || ttl === undefined || len === undefined || c.remaining < len) break;
    const v = rdataText(c, type, len);
    const name = QTYPES[type] ?? String(type);
    parts.push(v === undefined ? name : `${name}=${v} TTL=${ttl}`);
  }
  return {
    id,
    isResponse: (flags & 0x8000) !== 0,
    opcode,
    rcode: flags & 0xf,
    qname,
    qtype,
    result: parts.join('; '),
  };
}
