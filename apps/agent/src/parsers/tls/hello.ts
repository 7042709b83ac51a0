/**
 * TLS ClientHello / ServerHello decoding (RFC 8446 §4.1): versions (supported_versions wins
 * over the legacy field), SNI, ALPN and the chosen cipher suite.
 */
import { Cursor } from '../cursor';

export interface ClientHello {
  version: number;
  sni?: string;
  alpn: string[];
}

export interface ServerHello {
  version: number;
  cipher: number;
}

export const VERSIONS: Record<number, string> = {
  768: 'SSL 3.0',
  769: '1.0',
  770: '1.1',
  771: '1.2',
  772: '1.3',
};

export const CIPHERS: Record<number, string> = {
  4865: 'TLS_AES_128_GCM_SHA256',
  4866: 'TLS_AES_256_GCM_SHA384',
  4867: 'TLS_CHACHA20_POLY1305_SHA256',
  49195: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  49196: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  49199: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  49200: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  52392: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  52393: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  156: 'TLS_RSA_WITH_AES_128_GCM_SHA256',
  157: 'TLS_RSA_WITH_AES_256_GCM_SHA384',
  47: 'TLS_RSA_WITH_AES_128_CBC_SHA',
  53: 'TLS_RSA_WITH_AES_256_CBC_SHA',
};

const vec8 = (c: Cursor) => {
  const n = c.u8();
  return n === undefined ? undefined : c.bytesN(n);
};
const vec16 = (c: Cursor) => {
  const n = c.u16();
  return n === undefined ? undefined : c.bytesN(n);
};

/** `body` is the handshake message body after its 4-byte header. */
export function parseClientHello(body: Uint8Array): ClientHello | undefined {
  const c = new Cursor(body);
  const legacy = c.u16();
  if (legacy === undefined || !c.skip(32) || !vec8(c) || !vec16(c) || !vec8(c)) return undefined;
  const out: ClientHello = { version: legacy, alpn: [] };
  const exts = vec16(c);
  if (!exts) return out;
  const e = new Cursor(exts);
  while (e.remaining >= 4) {
    const type = e.u16()!;
    const data = vec16(e);
    if (!data) break;
    const d = new Cursor(data);
    if (type === 0) {
      // server_name list: type(1) + name(vec16)
      d.u16();
      if (d.u8() === 0) {
        const name = vec16(d);
        if (name) out.sni = Buffer.from(name).toString('latin1');
      }
    } else if (type === 16) {
      const list = vec16(d);
      const l = list && new Cursor(list);
      while (l && l.remaining > 0) {
        const p = vec8(l);
        if (!p) break;
        out.alpn.push(Buffer.from(p).toString('latin1'));
      }
    } else if (type === 43) {
      const list = vec8(d);
      const l = list && new Cursor(list);
      while (l && l.remaining >= 2) {
        const v = l.u16()!;
        // GREASE values are 0x?a?a; take the highest real version
        if ((v & 0x0f0f) !== 0x0a0a && v > out.version && v <= 0x0304) out.version = v;
      }
    }
  }
  return out;
}

export function parseServerHello(body: Uint8Array): ServerHello | undefined {
  const c = new Cursor(body);
  const legacy = c.u16();
  if (legacy === undefined || !c.skip(32) || !vec8(c)) return undefined;
  const cipher = c.u16();
  if (cipher === undefined || c.u8() === undefined) return undefined;
  const out: ServerHello = { version: legacy, cipher };
  const exts = vec16(c);
  const e = exts && new Cursor(exts);
  while (e && e.remaining >= 4) {
    const type = e.u16()!;
    const data = vec16(e);
    if (!data) break;
    if (type === 43 && data.length === 2) out.version = (data[0]! << 8) | data[1]!;
  }
  return out;
}
