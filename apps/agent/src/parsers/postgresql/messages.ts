/**
 * PostgreSQL frontend/backend protocol v3 message pieces (postgresql.org/docs/current/
 * protocol-message-formats.html): framing, startup packets, ErrorResponse fields and
 * CommandComplete tags.
 */
import { Cursor } from '../cursor';

export const PROTOCOL_3 = 196608;
export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;

export const FRONTEND_TYPES = new Set('QPBEDSHCXFdcfp'.split('').map((c) => c.charCodeAt(0)));
export const BACKEND_TYPES = new Set('RSKZCDTEINt1234nsAGHWcdfVv'.split('').map((c) => c.charCodeAt(0)));
const MAX_MESSAGE = 1 << 30;

/** Length of a typed message (type byte + self-inclusive u32 length). */
export function typedLength(bytes: Uint8Array, pos: number, types: Set<number>): number | undefined {
  const c = new Cursor(bytes, pos);
  const type = c.u8();
  const len = c.u32();
  if (type === undefined) return undefined;
  if (!types.has(type)) return -1;
  if (len === undefined) return undefined;
  if (len < 4 || len > MAX_MESSAGE) return -1;
  return 1 + len;
}

/** Length of an untyped startup-phase packet (StartupMessage, SSLRequest, CancelRequest). */
export function untypedLength(bytes: Uint8Array, pos: number): number | undefined {
  const len = new Cursor(bytes, pos).u32();
  if (len === undefined) return undefined;
  return len < 8 || len > 10_000 ? -1 : len;
}

export interface Startup {
  code: number;
  params: Map<string, string>;
}

export function parseStartup(bytes: Uint8Array): Startup | undefined {
  const c = new Cursor(bytes, 4);
  const code = c.u32();
  if (code === undefined) return undefined;
  const params = new Map<string, string>();
  if (code === PROTOCOL_3) {
    for (let i = 0; i < 32; i++) {
      const key = c.cstr();
      if (!key) break;
      const value = c.cstr();
      if (value === undefined) break;
      params.set(key, value);
    }
  }
  return { code, params };
}

export interface PgError {
  severity: string;
  code: string;
  message: string;
}

/** ErrorResponse/NoticeResponse body: (field type byte, cstring)* NUL. */
export function parseError(body: Uint8Array): PgError {
  const c = new Cursor(body);
  const e: PgError = { severity: '', code: '', message: '' };
  for (let i = 0; i < 32; i++) {
    const field = c.u8();
    if (field === undefined || field === 0) break;
    const value = c.cstr();
    if (value === undefined) break;
    if (field === 0x56 || (field === 0x53 && !e.severity)) e.severity = value;
    else if (field === 0x43) e.code = value;
    else if (field === 0x4d) e.message = value.slice(0, 512);
  }
  return e;
}

/** Rows in a CommandComplete tag: the last number ("INSERT 0 5", "SELECT 3", "UPDATE 2"). */
export function tagRows(tag: string): number | undefined {
  const m = /\s(\d+)$/.exec(tag);
  return m ? Number(m[1]) : undefined;
}

/**
 * SQLSTATE classes that mean the server (not the statement) failed: connection exception,
 * insufficient resources, program limit, operator intervention, system and internal errors.
 */
const SERVER_CLASSES = new Set(['08', '53', '54', '57', '58', 'XX', 'F0', 'P0']);

export const sqlStateStatus = (code: string): 'client_error' | 'server_error' =>
  SERVER_CLASSES.has(code.slice(0, 2)) ? 'server_error' : 'client_error';

/** Numeric SQLSTATE class ("42P01" -> 42), 0 when the class is not numeric. */
export const sqlStateClass = (code: string): number => (/^\d\d/.test(code) ? Number(code.slice(0, 2)) : 0);
