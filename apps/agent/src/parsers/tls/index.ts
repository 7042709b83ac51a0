/**
 * TLS handshake metadata: ClientHello (SNI -> request_domain, offered version, ALPN) paired
 * with ServerHello (negotiated version and cipher) or a handshake alert. Once both hellos
 * were seen the rest of the connection is encrypted and ignored.
 */
import type { RequestLog } from '@zeroscope/wire';
import type { Direction } from '../../capture/types';
import type { L7Message, ProtocolParser } from '../types';
import { CIPHERS, parseClientHello, parseServerHello, VERSIONS } from './hello';

export interface TlsState {
  request: Uint8Array | undefined;
  response: Uint8Array | undefined;
  done: { request: boolean; response: boolean };
}

const MAX_RECORD = 16_384 + 2048;
const ALERTS: Record<number, string> = {
  10: 'unexpected_message',
  20: 'bad_record_mac',
  40: 'handshake_failure',
  42: 'bad_certificate',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  48: 'unknown_ca',
  70: 'protocol_version',
  80: 'internal_error',
  112: 'unrecognized_name',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

const versionName = (v: number) => VERSIONS[v] ?? `0x${v.toString(16)}`;

function recordHeaderOk(p: Uint8Array, pos: number): boolean {
  const type = p[pos]!;
  return type >= 20 && type <= 23 && p[pos + 1] === 3 && p[pos + 2]! <= 4;
}

function handshakeMessage(rec: Uint8Array, direction: Direction, ts: number): L7Message | undefined {
  const hsType = rec[0];
  const len = rec.length >= 4 ? (rec[1]! << 16) | (rec[2]! << 8) | rec[3]! : -1;
  if (len < 0) return undefined;
  // the hello may be cut by the capture: parse what is there
  const body = rec.subarray(4, 4 + len);
  if (direction === 'request' && hsType === 1) {
    const h = parseClientHello(body);
    if (!h) return undefined;
    const fields: Partial<RequestLog> = {
      l7_protocol: 'tls',
      request_type: 'ClientHello',
      version: versionName(h.version),
    };
    if (h.sni) {
      fields.request_domain = h.sni;
      fields.request_resource = h.sni;
    }
    if (h.alpn.length > 0) {
      fields.attribute_names = ['tls.alpn'];
      fields.attribute_values = [h.alpn.join(',')];
    }
    return { direction, ts, length: len + 4, fields };
  }
  if (direction === 'response' && hsType === 2) {
    const h = parseServerHello(body);
    if (!h) return undefined;
    return {
      direction,
      ts,
      length: len + 4,
      fields: {
        version: versionName(h.version),
        response_status: 'ok',
        response_result: CIPHERS[h.cipher] ?? `0x${h.cipher.toString(16).padStart(4, '0')}`,
      },
    };
  }
  return undefined;
}

export const tlsParser: ProtocolParser<TlsState> = {
  protocol: 'tls',
  infer(p, direction) {
    return (
      p.length >= 6 && p[0] === 22 && p[1] === 3 && p[2]! <= 4 && p[5] === (direction === 'request' ? 1 : 2)
    );
  },
  newState: () => ({ request: undefined, response: undefined, done: { request: false, response: false } }),
  feed(s, payload, direction, ts, ctx) {
    const out: L7Message[] = [];
    if (s.done[direction]) return out;
    let data = payload;
    const prev = ctx.gap ? undefined : s[direction];
    if (prev) {
      data = new Uint8Array(prev.length + payload.length);
      data.set(prev);
      data.set(payload, prev.length);
    }
    s[direction] = undefined;
    let pos = 0;
    while (data.length - pos >= 5) {
      if (!recordHeaderOk(data, pos)) {
        s.done[direction] = true;
        return out;
      }
      const type = data[pos]!;
      const len = (data[pos + 3]! << 8) | data[pos + 4]!;
      const truncated = ctx.totalLength > payload.length;
      if (data.length - pos - 5 < len && !truncated) {
        if (len > MAX_RECORD) s.done[direction] = true;
        else s[direction] = data.slice(pos);
        return out;
      }
      const rec = data.subarray(pos + 5, pos + 5 + len);
      if (type === 22) {
        const m = handshakeMessage(rec, direction, ts);
        if (m) {
          out.push(m);
          s.done[direction] = true;
          return out;
        }
      } else if (type === 21 && direction === 'response' && rec[0] === 2) {
        out.push({
          direction,
          ts,
          length: len + 5,
          fields: {
            response_status: 'server_error',
            response_exception: ALERTS[rec[1]!] ?? `alert ${rec[1]}`,
          },
        });
        s.done[direction] = true;
        return out;
      } else if (type === 23) {
        s.done[direction] = true;
        return out;
      }
      pos += 5 + len;
    }
    if (pos < data.length) s[direction] = data.slice(pos);
    return out;
  },
};
