/**
 * MySQL client/server protocol pieces: packet header, length-encoded integers, OK/ERR/EOF,
 * the server greeting and the client's handshake response (dev.mysql.com "Client/Server
 * Protocol", MariaDB "Protocol" docs).
 */
import { Cursor } from '../cursor';

export const COM = {
  QUIT: 0x01,
  INIT_DB: 0x02,
  QUERY: 0x03,
  FIELD_LIST: 0x04,
  STATISTICS: 0x09,
  PING: 0x0e,
  CHANGE_USER: 0x11,
  STMT_PREPARE: 0x16,
  STMT_EXECUTE: 0x17,
  STMT_SEND_LONG_DATA: 0x18,
  STMT_CLOSE: 0x19,
  STMT_RESET: 0x1a,
  SET_OPTION: 0x1b,
  STMT_FETCH: 0x1c,
  RESET_CONNECTION: 0x1f,
} as const;

export const COMMAND_NAMES: Record<number, string> = {
  1: 'QUIT',
  2: 'USE',
  3: 'QUERY',
  4: 'FIELD_LIST',
  5: 'CREATE_DB',
  6: 'DROP_DB',
  7: 'REFRESH',
  9: 'STATISTICS',
  10: 'PROCESS_INFO',
  12: 'PROCESS_KILL',
  13: 'DEBUG',
  14: 'PING',
  17: 'CHANGE_USER',
  22: 'PREPARE',
  23: 'EXECUTE',
  24: 'SEND_LONG_DATA',
  25: 'CLOSE',
  26: 'RESET',
  27: 'SET_OPTION',
  28: 'FETCH',
  31: 'RESET_CONNECTION',
};

export const CAP = {
  CONNECT_WITH_DB: 0x8,
  COMPRESS: 0x20,
  PROTOCOL_41: 0x200,
  SSL: 0x800,
  SECURE_CONNECTION: 0x8000,
  PLUGIN_AUTH_LENENC: 0x200000,
  DEPRECATE_EOF: 0x1000000,
  QUERY_ATTRIBUTES: 0x8000000,
} as const;

export const SERVER_MORE_RESULTS_EXISTS = 0x0008;

export const text = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');

export function lenenc(c: Cursor): number | undefined {
  const first = c.u8();
  if (first === undefined) return undefined;
  if (first < 0xfb) return first;
  if (first === 0xfc) return c.u16(true);
  if (first === 0xfd) return c.u24(true);
  if (first === 0xfe) return c.u64(true);
  return undefined;
}

export interface Ok {
  affectedRows: number;
  status: number;
}

/** OK packet body (header byte 0x00, or 0xfe when it replaces EOF). */
export function parseOk(body: Uint8Array): Ok {
  const c = new Cursor(body, 1);
  const affectedRows = lenenc(c) ?? 0;
  lenenc(c);
  return { affectedRows, status: c.u16(true) ?? 0 };
}

export interface Err {
  code: number;
  sqlState: string;
  message: string;
}

export function parseErr(body: Uint8Array, maxMessage: number): Err {
  const c = new Cursor(body, 1);
  const code = c.u16(true) ?? 0;
  let sqlState = '';
  if (body[c.pos] === 0x23) {
    c.skip(1);
    sqlState = c.str(5) ?? '';
  }
  const rest = body.subarray(c.pos, Math.min(body.length, c.pos + maxMessage));
  return { code, sqlState, message: text(rest) };
}

/** EOF packet (0xfe, < 9 bytes): its status flags. */
export function eofStatus(body: Uint8Array): number {
  if (body.length <= 5) return new Cursor(body, 3).u16(true) ?? 0;
  return parseOk(body).status;
}

export interface Greeting {
  protocol: number;
  serverVersion: string;
}

export function parseGreeting(body: Uint8Array): Greeting | undefined {
  const c = new Cursor(body);
  const protocol = c.u8();
  if (protocol !== 10 && protocol !== 9) return undefined;
  const serverVersion = c.cstr();
  if (serverVersion === undefined || serverVersion.length > 64 || !/^\d/.test(serverVersion))
    return undefined;
  return { protocol, serverVersion };
}

export interface Login {
  caps: number;
  user: string;
  database: string;
  /** an SSLRequest: the connection switches to TLS next */
  ssl: boolean;
}

export function parseLogin(body: Uint8Array): Login | undefined {
  const c = new Cursor(body);
  const caps = c.u32(true);
  if (caps === undefined || (caps & CAP.PROTOCOL_41) === 0) return undefined;
  if (!c.skip(4 + 1 + 23)) return undefined;
  if (c.remaining === 0) return { caps, user: '', database: '', ssl: (caps & CAP.SSL) !== 0 };
  const user = c.cstr();
  if (user === undefined) return undefined;
  let authLen: number | undefined;
  if (caps & CAP.PLUGIN_AUTH_LENENC) authLen = lenenc(c);
  else if (caps & CAP.SECURE_CONNECTION) authLen = c.u8();
  if (authLen !== undefined) c.skip(authLen);
  else c.cstr();
  const database = caps & CAP.CONNECT_WITH_DB ? (c.cstr() ?? '') : '';
  return { caps, user, database, ssl: false };
}
