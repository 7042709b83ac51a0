/**
 * PostgreSQL wire protocol v3. A request is a simple Query, or an extended-query batch up
 * to Sync (Parse/Bind/Describe/Execute); its response is everything up to ReadyForQuery,
 * folded into one message (rows from CommandComplete, SQLSTATE from ErrorResponse).
 * Server messages outside any request (NotificationResponse, ParameterStatus) are unsolicited.
 */
import type { RequestLog } from '@zeroscope/wire';
import type { Direction } from '../../capture/types';
import { Cursor } from '../cursor';
import { type FrameBuffer, feedFrames, newFrameBuffer } from '../framing';
import { boundSql, sqlCommand, sqlEndpoint } from '../sql';
import type { L7Message, ParseContext, ProtocolParser } from '../types';
import {
  BACKEND_TYPES,
  CANCEL_REQUEST,
  FRONTEND_TYPES,
  GSSENC_REQUEST,
  PROTOCOL_3,
  parseError,
  parseStartup,
  SSL_REQUEST,
  sqlStateClass,
  sqlStateStatus,
  tagRows,
  typedLength,
  untypedLength,
} from './messages';

interface Batch {
  ts: number;
  length: number;
  sql: string;
  statement: string;
}

interface Reply {
  /** the ErrorResponse was already reported: swallow up to ReadyForQuery */
  reported?: boolean;
  ts: number;
  length: number;
  rows: number;
  error?: { code: string; message: string };
}

export interface PostgresState {
  request: FrameBuffer;
  response: FrameBuffer;
  phase: 'start' | 'ssl' | 'auth' | 'ready' | 'tls';
  database: string;
  statements: Map<string, string>;
  batch: Batch | undefined;
  reply: Reply | undefined;
  /** requests sent and not yet closed by ReadyForQuery */
  outstanding: number;
}

const MAX_STATEMENTS = 256;
const ch = (s: string) => s.charCodeAt(0);
const resyncAtChunkStart = (_b: Uint8Array, from: number): number => (from === 0 ? 0 : -1);

function requestFields(st: PostgresState, sql: string, statement: string): Partial<RequestLog> {
  const fields: Partial<RequestLog> = {
    request_type: sqlCommand(sql) || 'QUERY',
    request_resource: boundSql(sql),
    endpoint: sqlEndpoint(sql),
    request_domain: st.database,
  };
  if (statement) {
    fields.attribute_names = ['statement'];
    fields.attribute_values = [statement];
  }
  return fields;
}

function startupMessage(st: PostgresState, bytes: Uint8Array, wire: number, ts: number, out: L7Message[]) {
  const s = parseStartup(bytes);
  if (!s) return;
  if (s.code === SSL_REQUEST || s.code === GSSENC_REQUEST) {
    st.phase = 'ssl';
    st.outstanding++;
    const type = s.code === SSL_REQUEST ? 'SSLREQUEST' : 'GSSENCREQUEST';
    out.push({ direction: 'request', ts, length: wire, fields: { request_type: type } });
    return;
  }
  if (s.code === CANCEL_REQUEST) {
    out.push({ direction: 'request', ts, length: wire, oneWay: true, fields: { request_type: 'CANCEL' } });
    return;
  }
  if (s.code !== PROTOCOL_3) return;
  st.phase = 'auth';
  st.database = s.params.get('database') ?? s.params.get('user') ?? '';
  st.outstanding++;
  const user = s.params.get('user') ?? '';
  out.push({
    direction: 'request',
    ts,
    length: wire,
    fields: {
      request_type: 'STARTUP',
      request_resource: `user=${user} database=${st.database}`,
      request_domain: st.database,
      version: '3.0',
    },
  });
}

function frontendMessage(st: PostgresState, bytes: Uint8Array, wire: number, ts: number, out: L7Message[]) {
  const type = bytes[0];
  if (type === undefined || st.phase === 'tls') return;
  if (type === 0 || st.phase === 'start') {
    if (type === 0) return startupMessage(st, bytes, wire, ts, out);
    st.phase = 'ready';
  }
  const c = new Cursor(bytes, 5);
  const push = (fields: Partial<RequestLog>, oneWay = false) => {
    if (!oneWay) st.outstanding++;
    out.push({ direction: 'request', ts, length: wire, fields, ...(oneWay ? { oneWay } : {}) });
  };
  switch (type) {
    case ch('Q'):
      return push(requestFields(st, c.cstr() ?? '', ''));
    case ch('P'): {
      const name = c.cstr() ?? '';
      const sql = c.cstr() ?? new Cursor(bytes, c.pos).str(Math.min(bytes.length - c.pos, 4096)) ?? '';
      st.statements.set(name, sql);
      if (st.statements.size > MAX_STATEMENTS) st.statements.delete(st.statements.keys().next().value!);
      st.batch ??= { ts, length: 0, sql: '', statement: '' };
      st.batch.sql ||= sql;
      st.batch.statement ||= name;
      st.batch.length += wire;
      return;
    }
    case ch('B'): {
      c.cstr();
      const statement = c.cstr() ?? '';
      st.batch ??= { ts, length: 0, sql: '', statement: '' };
      if (!st.batch.sql) {
        st.batch.sql = st.statements.get(statement) ?? '';
        st.batch.statement = statement;
      }
      st.batch.length += wire;
      return;
    }
    case ch('S'): {
      const b = st.batch ?? { ts, length: 0, sql: '', statement: '' };
      st.batch = undefined;
      st.outstanding++;
      const fields = b.sql
        ? requestFields(st, b.sql, b.statement)
        : {
            request_type: b.statement ? 'EXECUTE' : 'SYNC',
            request_domain: st.database,
            ...(b.statement ? { attribute_names: ['statement'], attribute_values: [b.statement] } : {}),
          };
      out.push({ direction: 'request', ts: b.ts, length: b.length + wire, fields });
      return;
    }
    case ch('X'):
      return push({ request_type: 'TERMINATE', request_domain: st.database }, true);
    case ch('F'):
      return push({ request_type: 'FUNCTION_CALL', request_domain: st.database });
    case ch('C'):
      if (bytes[5] === ch('S')) st.statements.delete(new Cursor(bytes, 6).cstr() ?? '');
      break;
  }
  if (st.batch || type === ch('E') || type === ch('D') || type === ch('C') || type === ch('H')) {
    st.batch ??= { ts, length: 0, sql: '', statement: '' };
    st.batch.length += wire;
  }
}

function finishReply(st: PostgresState, r: Reply): L7Message {
  st.outstanding = Math.max(0, st.outstanding - 1);
  const fields: Partial<RequestLog> = { response_status: 'ok', sql_affected_rows: r.rows };
  if (r.error) {
    fields.response_status = sqlStateStatus(r.error.code);
    fields.response_code = sqlStateClass(r.error.code);
    fields.response_exception = r.error.message;
    fields.attribute_names = ['sqlstate'];
    fields.attribute_values = [r.error.code];
  }
  return { direction: 'response', ts: r.ts, length: r.length, fields };
}

function backendMessage(st: PostgresState, bytes: Uint8Array, wire: number, ts: number, out: L7Message[]) {
  if (st.phase === 'tls') return;
  const type = bytes[0];
  if (st.phase === 'ssl' && wire === 1) {
    st.phase = type === ch('S') || type === ch('G') ? 'tls' : 'start';
    st.outstanding = Math.max(0, st.outstanding - 1);
    out.push({ direction: 'response', ts, length: 1, fields: { response_status: 'ok' } });
    return;
  }
  if (!st.reply && st.outstanding === 0 && (type === ch('A') || type === ch('S') || type === ch('N'))) {
    const fields: Partial<RequestLog> = { response_status: 'ok' };
    if (type === ch('A')) {
      const c = new Cursor(bytes, 9);
      fields.request_type = 'NOTIFY';
      fields.request_resource = c.cstr() ?? '';
    }
    out.push({ direction: 'response', ts, length: wire, unsolicited: true, fields });
    return;
  }
  st.reply ??= { ts, length: 0, rows: 0 };
  const r = st.reply;
  r.length += wire;
  if (type === ch('C')) {
    const tag = new Cursor(bytes, 5).cstr() ?? '';
    r.rows += tagRows(tag) ?? 0;
  } else if (type === ch('E')) {
    const e = parseError(bytes.subarray(5));
    // reported at once: the ReadyForQuery after it may be far away or never come (FATAL)
    if (!r.reported) {
      r.error = { code: e.code, message: e.message };
      out.push(finishReply(st, r));
      r.reported = true;
    }
  } else if (type === ch('Z')) {
    st.phase = 'ready';
    st.reply = undefined;
    if (!r.reported) out.push(finishReply(st, r));
  }
}

export const postgresqlParser: ProtocolParser<PostgresState> = {
  protocol: 'postgresql',

  infer(payload: Uint8Array, direction: Direction, _ctx: ParseContext): boolean {
    if (direction === 'response') return false;
    if (payload[0] === 0) {
      const s = untypedLength(payload, 0) === payload.length ? parseStartup(payload) : undefined;
      return (
        s !== undefined && (s.code === PROTOCOL_3 || s.code === SSL_REQUEST || s.code === GSSENC_REQUEST)
      );
    }
    const type = payload[0];
    if (type !== ch('Q') && type !== ch('P')) return false;
    const len = typedLength(payload, 0, FRONTEND_TYPES);
    if (len === undefined || len < 6 || len > payload.length) return false;
    const c = new Cursor(payload, 5);
    if (type === ch('P')) c.cstr();
    const sql = c.cstr();
    return sql !== undefined && sqlCommand(sql) !== '';
  },

  newState: () => ({
    request: newFrameBuffer(),
    response: newFrameBuffer(),
    phase: 'start',
    database: '',
    statements: new Map(),
    batch: undefined,
    reply: undefined,
    outstanding: 0,
  }),

  feed(st, payload, direction, ts, ctx): L7Message[] {
    const out: L7Message[] = [];
    if (st.phase === 'tls') return out;
    if (ctx.gap) {
      st.batch = undefined;
      st.reply = undefined;
      st.outstanding = 0;
    }
    if (direction === 'request') {
      const frameLength = (b: Uint8Array, pos: number) =>
        b[pos] === 0 ? untypedLength(b, pos) : typedLength(b, pos, FRONTEND_TYPES);
      feedFrames(st.request, payload, ts, ctx, frameLength, {
        resync: resyncAtChunkStart,
        frame: (b, wire, at) => frontendMessage(st, b, wire, at, out),
      });
    } else {
      const frameLength = (b: Uint8Array, pos: number) =>
        st.phase === 'ssl' ? (pos < b.length ? 1 : undefined) : typedLength(b, pos, BACKEND_TYPES);
      feedFrames(st.response, payload, ts, ctx, frameLength, {
        resync: resyncAtChunkStart,
        frame: (b, wire, at) => backendMessage(st, b, wire, at, out),
      });
    }
    return out;
  },
};
