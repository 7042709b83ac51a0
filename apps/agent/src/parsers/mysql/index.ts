/**
 * MySQL/MariaDB client protocol: greeting, login, text and prepared-statement commands,
 * OK/ERR/result-set responses, and the compressed protocol. Requests and responses pair by
 * order; statement ids map to their SQL so an EXECUTE carries the prepared text.
 */
import type { RequestLog } from '@zeroscope/wire';
import type { Direction } from '../../capture/types';
import { Cursor } from '../cursor';
import { type FrameBuffer, feedFrames, newFrameBuffer } from '../framing';
import { boundSql, sqlCommand, sqlEndpoint } from '../sql';
import type { L7Message, ParseContext, ProtocolParser } from '../types';
import { inflateFrame, looksCompressed } from './compressed';
import { CAP, COM, COMMAND_NAMES, parseGreeting, parseLogin, text } from './protocol';
import { onServerPacket, type Pending, type ResultState } from './response';

export interface MysqlState {
  outer: Record<Direction, FrameBuffer>;
  /** packet stream inside compressed packets */
  inner: Record<Direction, FrameBuffer>;
  compressed: boolean;
  /** compression negotiated at login: switches on after the server's OK */
  compressAfterLogin: boolean;
  queryAttributes: boolean;
  phase: 'start' | 'auth' | 'command' | 'tls';
  version: string;
  database: string;
  statements: Map<number, string>;
  pending: Pending[];
  cur: ResultState | undefined;
  /** the previous client packet was 0xffffff long: the next one continues it */
  continued: boolean;
}

const MAX_STATEMENTS = 256;
const MAX_PENDING = 64;
const NO_RESPONSE = new Set<number>([COM.QUIT, COM.STMT_CLOSE, COM.STMT_SEND_LONG_DATA]);

const packetLength = (bytes: Uint8Array, pos: number): number | undefined =>
  new Cursor(bytes, pos).u24(true) === undefined ? undefined : 4 + new Cursor(bytes, pos).u24(true)!;

const compressedLength = (bytes: Uint8Array, pos: number): number | undefined => {
  const len = new Cursor(bytes, pos).u24(true);
  return len === undefined || bytes.length - pos < 7 ? undefined : 7 + len;
};

/** Only a chunk start is trusted as a packet start after a gap. */
const resyncAtChunkStart = (_bytes: Uint8Array, from: number): number => (from === 0 ? 0 : -1);

/**
 * With CLIENT_QUERY_ATTRIBUTES (MySQL 8.0.23+) a COM_QUERY starts with parameter_count and
 * parameter_set_count; only the common empty form (0, 1) is skipped, seen or guessed.
 */
function skipQueryAttributes(st: MysqlState, arg: Uint8Array): Uint8Array {
  if (arg[0] === 0x00 && arg[1] === 0x01 && (st.queryAttributes || arg.length > 2)) return arg.subarray(2);
  return arg;
}

function commandFields(st: MysqlState, command: number, body: Uint8Array): Partial<RequestLog> {
  const arg = command === COM.QUERY ? skipQueryAttributes(st, body.subarray(1)) : body.subarray(1);
  const domain = st.database;
  const name = COMMAND_NAMES[command] ?? `COM_${command}`;
  if (command === COM.QUERY || command === COM.STMT_PREPARE) {
    const sql = boundSql(text(arg));
    const word = sqlCommand(sql);
    return {
      request_type: command === COM.QUERY ? word || name : name,
      request_resource: sql,
      endpoint: sqlEndpoint(sql),
      request_domain: domain,
    };
  }
  if (command === COM.INIT_DB) {
    const db = text(arg.subarray(0, 256));
    return { request_type: name, request_resource: db, request_domain: db };
  }
  if (
    command === COM.STMT_EXECUTE ||
    command === COM.STMT_CLOSE ||
    command === COM.STMT_RESET ||
    command === COM.STMT_FETCH
  ) {
    const id = new Cursor(arg).u32(true);
    const sql = id === undefined ? undefined : st.statements.get(id);
    if (command === COM.STMT_CLOSE && id !== undefined) st.statements.delete(id);
    const fields: Partial<RequestLog> = { request_type: name, request_domain: domain, request_id: id ?? 0 };
    if (sql !== undefined) {
      fields.request_resource = sql;
      fields.endpoint = sqlEndpoint(sql);
      if (command === COM.STMT_EXECUTE) fields.request_type = sqlCommand(sql) || name;
    }
    return fields;
  }
  return { request_type: name, request_domain: domain };
}

function clientPacket(st: MysqlState, bytes: Uint8Array, wire: number, ts: number, out: L7Message[]): void {
  const c = new Cursor(bytes);
  const len = c.u24(true) ?? 0;
  const seq = c.u8() ?? 0;
  const body = bytes.subarray(4);
  const wasContinued = st.continued;
  st.continued = len === 0xffffff;
  if (wasContinued) return;
  if (seq !== 0) {
    if (st.phase === 'command' && st.pending.length > 0) return; // auth continuation of CHANGE_USER
    const login = seq <= 2 ? parseLogin(body) : undefined;
    if (!login) return; // auth-switch / more-data answers
    if (login.ssl) {
      st.phase = 'tls';
      return;
    }
    st.phase = 'auth';
    st.compressAfterLogin = (login.caps & CAP.COMPRESS) !== 0;
    st.queryAttributes = (login.caps & CAP.QUERY_ATTRIBUTES) !== 0;
    if (login.database) st.database = login.database;
    const resource = `Login username: ${login.user}${login.database ? ` db: ${login.database}` : ''}`;
    st.pending = [{ command: -1, sql: '' }];
    out.push({
      direction: 'request',
      ts,
      length: wire,
      fields: {
        request_type: 'LOGIN',
        request_resource: resource,
        request_domain: login.database,
        version: st.version,
      },
    });
    return;
  }
  const command = body[0];
  if (command === undefined) return;
  if (st.phase !== 'auth') st.phase = 'command';
  const fields = commandFields(st, command, body);
  if (st.version) fields.version = st.version;
  const oneWay = NO_RESPONSE.has(command);
  if (!oneWay) {
    const sql = command === COM.INIT_DB ? `USE ${fields.request_resource}` : (fields.request_resource ?? '');
    st.pending.push({ command, sql });
    if (st.pending.length > MAX_PENDING) st.pending.shift();
  }
  out.push({ direction: 'request', ts, length: wire, fields, ...(oneWay ? { oneWay } : {}) });
}

function serverPacket(st: MysqlState, bytes: Uint8Array, wire: number, ts: number, out: L7Message[]): void {
  const seq = bytes[3] ?? 0;
  const body = bytes.subarray(4);
  if (st.phase === 'start' && seq === 0) {
    const g = parseGreeting(body);
    if (g) {
      st.version = String(g.protocol);
      st.phase = 'auth';
      out.push({
        direction: 'response',
        ts,
        length: wire,
        unsolicited: true,
        fields: {
          version: st.version,
          response_status: 'ok',
          attribute_names: ['server_version'],
          attribute_values: [g.serverVersion],
        },
      });
      return;
    }
  }
  if (st.phase === 'auth') {
    const head = body[0];
    if (head !== 0x00 && head !== 0xff) return; // auth switch / more data
    st.phase = 'command';
    st.cur = undefined;
  }
  let answered: Pending | undefined;
  const r = onServerPacket(st.cur, seq, body, wire, ts, () => {
    answered = st.pending.shift();
    return answered;
  });
  st.cur = r.cur;
  if (r.prepared !== undefined && answered) {
    st.statements.set(r.prepared, answered.sql);
    if (st.statements.size > MAX_STATEMENTS) st.statements.delete(st.statements.keys().next().value!);
  }
  if (!r.done) return;
  const fields = r.done.fields;
  if (st.version) fields.version = st.version;
  if (r.prepared !== undefined) fields.request_id = r.prepared;
  if (fields.response_status === 'ok' && answered) {
    if (answered.command === -1 && st.compressAfterLogin) st.compressed = true;
    const use = /^\s*USE\s+`?([^`\s;]+)`?/i.exec(answered.sql);
    if (use?.[1]) st.database = use[1];
  }
  out.push({ direction: 'response', ts: r.done.ts, length: r.done.length, fields });
}

function onPacket(
  st: MysqlState,
  direction: Direction,
  bytes: Uint8Array,
  wire: number,
  ts: number,
  out: L7Message[],
) {
  if (bytes.length < 4) return;
  if (direction === 'request') clientPacket(st, bytes, wire, ts, out);
  else serverPacket(st, bytes, wire, ts, out);
}

export const mysqlParser: ProtocolParser<MysqlState> = {
  protocol: 'mysql',

  infer(payload: Uint8Array, direction: Direction, ctx: ParseContext): boolean {
    if (direction === 'request' && looksCompressed(payload)) return true;
    const c = new Cursor(payload);
    const len = c.u24(true);
    const seq = c.u8();
    if (len === undefined || len === 0 || len > ctx.totalLength - 4 + 3) return false;
    if (len + 4 !== ctx.totalLength) return false;
    const body = payload.subarray(4);
    if (direction === 'response') return seq === 0 && parseGreeting(body) !== undefined;
    if (seq === 1) return parseLogin(body) !== undefined;
    if (seq !== 0) return false;
    const command = body[0];
    if (command === COM.QUERY || command === COM.STMT_PREPARE)
      return sqlCommand(text(body.subarray(1, 64))) !== '';
    return command === COM.INIT_DB || command === COM.PING || command === COM.QUIT;
  },

  newState: () => ({
    outer: { request: newFrameBuffer(), response: newFrameBuffer() },
    inner: { request: newFrameBuffer(), response: newFrameBuffer() },
    compressed: false,
    compressAfterLogin: false,
    queryAttributes: false,
    phase: 'start',
    version: '',
    database: '',
    statements: new Map(),
    pending: [],
    cur: undefined,
    continued: false,
  }),

  feed(st, payload, direction, ts, ctx): L7Message[] {
    const out: L7Message[] = [];
    if (st.phase === 'tls') return out;
    if (ctx.gap) {
      st.pending = [];
      st.cur = undefined;
      st.continued = false;
    }
    if (!st.compressed && st.phase !== 'auth' && direction === 'request' && looksCompressed(payload)) {
      st.compressed = true;
    }
    const outer = st.outer[direction];
    const inner = st.inner[direction];
    const onInner = (b: Uint8Array, w: number, at: number) => onPacket(st, direction, b, w, at, out);
    feedFrames(outer, payload, ts, ctx, st.compressed ? compressedLength : packetLength, {
      resync: resyncAtChunkStart,
      frame(bytes, wire, at) {
        if (!st.compressed) return onPacket(st, direction, bytes, wire, at, out);
        const raw = inflateFrame(bytes, wire);
        if (raw === undefined) return;
        const innerCtx = {
          serverPort: ctx.serverPort,
          gap: false,
          totalLength: raw.complete ? raw.bytes.length : raw.bytes.length + 1,
        };
        feedFrames(inner, raw.bytes, at, innerCtx, packetLength, {
          resync: resyncAtChunkStart,
          frame: onInner,
        });
      },
    });
    return out;
  },
};
