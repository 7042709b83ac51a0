/**
 * Server packets of the command phase folded into one response per command: OK, ERR, or a
 * result set (column count, column definitions, optional EOF, rows, EOF/OK), counting rows.
 * Which command is answered decides how the first packet reads (PREPARE_OK, FIELD_LIST).
 */
import type { RequestLog } from '@zeroscope/wire';
import { Cursor } from '../cursor';
import { COM, eofStatus, lenenc, parseErr, parseOk, SERVER_MORE_RESULTS_EXISTS } from './protocol';

export interface Pending {
  command: number;
  sql: string;
}

export interface ResultState {
  phase: 'columns' | 'columnsEof' | 'rows' | 'more' | 'prepare';
  columnsLeft: number;
  rows: number;
  affected: number;
  ts: number;
  length: number;
}

export interface Done {
  ts: number;
  length: number;
  fields: Partial<RequestLog>;
}

const MAX_ERROR = 512;
/** Error codes 2000-2999 are the client library's own (CR_*); the rest come from the server. */
const errorStatus = (code: number) => (code >= 2000 && code <= 2999 ? 'client_error' : 'server_error');

const isEof = (body: Uint8Array) => body[0] === 0xfe && body.length < 9;

function finish(cur: ResultState, body: Uint8Array): Done | 'more' {
  const status = eofStatus(body);
  if (status & SERVER_MORE_RESULTS_EXISTS) {
    cur.phase = 'more';
    return 'more';
  }
  return {
    ts: cur.ts,
    length: cur.length,
    fields: { response_status: 'ok', sql_affected_rows: cur.rows + cur.affected },
  };
}

export interface Outcome {
  done?: Done;
  /** statement id a PREPARE_OK assigned */
  prepared?: number;
  cur: ResultState | undefined;
}

/** One server packet (body without the 4-byte header). `cur` is the response in progress. */
export function onServerPacket(
  cur: ResultState | undefined,
  seq: number,
  body: Uint8Array,
  wire: number,
  ts: number,
  answering: () => Pending | undefined,
): Outcome {
  if (cur && cur.phase === 'prepare' && seq > 1) {
    cur.length += wire;
    return { cur };
  }
  if (cur && cur.phase !== 'prepare') {
    cur.length += wire;
    if (cur.phase === 'more') return first(cur, body, undefined);
    if (cur.phase === 'columns') {
      if (--cur.columnsLeft <= 0) cur.phase = 'columnsEof';
      return { cur };
    }
    if (body[0] === 0xff) return errDone(cur.ts, cur.length, body);
    if (cur.phase === 'columnsEof') {
      cur.phase = 'rows';
      if (isEof(body) && body.length <= 5) return { cur };
    }
    if (isEof(body)) {
      const r = finish(cur, body);
      return r === 'more' ? { cur } : { done: r, cur: undefined };
    }
    cur.rows++;
    return { cur };
  }
  const fresh: ResultState = { phase: 'columns', columnsLeft: 0, rows: 0, affected: 0, ts, length: wire };
  return first(fresh, body, answering());
}

function errDone(ts: number, length: number, body: Uint8Array): Outcome {
  const e = parseErr(body, MAX_ERROR);
  return {
    done: {
      ts,
      length,
      fields: { response_status: errorStatus(e.code), response_code: e.code, response_exception: e.message },
    },
    cur: undefined,
  };
}

function first(cur: ResultState, body: Uint8Array, req: Pending | undefined): Outcome {
  const head = body[0];
  if (head === 0xff) return errDone(cur.ts, cur.length, body);
  if (req?.command === COM.STMT_PREPARE && head === 0x00 && body.length >= 12) {
    const c = new Cursor(body, 1);
    const id = c.u32(true);
    cur.phase = 'prepare';
    return { done: { ts: cur.ts, length: cur.length, fields: { response_status: 'ok' } }, prepared: id, cur };
  }
  if (head === 0x00 || (head === 0xfe && body.length < 9) || req?.command === COM.STATISTICS) {
    const ok =
      head === 0x00 ? parseOk(body) : { affectedRows: 0, status: head === 0xfe ? eofStatus(body) : 0 };
    cur.affected += ok.affectedRows;
    if (ok.status & SERVER_MORE_RESULTS_EXISTS) {
      cur.phase = 'more';
      return { cur };
    }
    return {
      done: {
        ts: cur.ts,
        length: cur.length,
        fields: { response_status: 'ok', sql_affected_rows: cur.rows + cur.affected },
      },
      cur: undefined,
    };
  }
  if (req?.command === COM.FIELD_LIST) {
    cur.phase = 'rows';
    cur.rows = 1;
    return { cur };
  }
  const columns = lenenc(new Cursor(body));
  if (columns === undefined || columns === 0 || head === 0xfb) {
    return { done: { ts: cur.ts, length: cur.length, fields: { response_status: 'ok' } }, cur: undefined };
  }
  cur.phase = 'columns';
  cur.columnsLeft = columns;
  return { cur };
}
