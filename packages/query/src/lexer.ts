/**
 * Hand-written lexer. It accepts only what the grammar can use: ASCII identifiers (dotted,
 * for `k8s.label.app` and `application.1m`), backtick-quoted identifiers for tag names
 * with `-` or `/`, single-quoted strings, numbers and a few operators. Comments, semicolons
 * and double quotes are rejected here, so they can never reach the emitted SQL.
 */
import { QueryError, show } from './errors';

export type TokenKind = 'ident' | 'qident' | 'number' | 'string' | 'op' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier or operator text, string contents, or the number as written. */
  readonly text: string;
  readonly pos: number;
}

export const MAX_QUERY_LENGTH = 16_384;
const MAX_STRING = 4096;
const OPS = ['<=', '>=', '!=', '<>', '==', '=', '<', '>', '(', ')', ',', '*', '-'];

const isIdentStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isIdentPart = (c: string) => isIdentStart(c) || (c >= '0' && c <= '9');
const isDigit = (c: string) => c >= '0' && c <= '9';
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

export function lex(text: string): Token[] {
  if (text.length > MAX_QUERY_LENGTH) {
    throw new QueryError('lex', MAX_QUERY_LENGTH, `query is longer than ${MAX_QUERY_LENGTH} characters`);
  }
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    const two = text.slice(i, i + 2);
    if (two === '--' || two === '/*' || c === '#') throw new QueryError('lex', i, 'comments are not allowed');
    if (c === ';') throw new QueryError('lex', i, 'only one statement is allowed; remove ";"');
    if (c === '"') throw new QueryError('lex', i, "strings use single quotes ('...'); names need no quotes");
    if (isIdentStart(c)) {
      i++;
      for (;;) {
        while (i < text.length && isIdentPart(text[i]!)) i++;
        if (text[i] === '.' && i + 1 < text.length && isIdentPart(text[i + 1]!)) i++;
        else break;
      }
      out.push({ kind: 'ident', text: text.slice(start, i), pos: start });
      continue;
    }
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) throw new QueryError('lex', i, 'unterminated `quoted name`', ['`']);
      const name = text.slice(i + 1, end);
      if (!/^[A-Za-z0-9_.\-/]{1,256}$/.test(name)) {
        throw new QueryError(
          'lex',
          i,
          `quoted name ${show(name)} may only contain letters, digits and _ . - /`,
        );
      }
      out.push({ kind: 'qident', text: name, pos: start });
      i = end + 1;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      while (i < text.length && isDigit(text[i]!)) i++;
      if (text[i] === '.') {
        i++;
        while (i < text.length && isDigit(text[i]!)) i++;
      }
      if (text[i] === 'e' || text[i] === 'E') {
        const save = i;
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        if (!isDigit(text[i] ?? '')) i = save;
        else while (i < text.length && isDigit(text[i]!)) i++;
      }
      if (i < text.length && (isIdentPart(text[i]!) || text[i] === '.')) {
        throw new QueryError('lex', i, `malformed number ${show(text.slice(start, i + 1))}`);
      }
      out.push({ kind: 'number', text: text.slice(start, i), pos: start });
      continue;
    }
    if (c === "'") {
      const str = lexString(text, i);
      out.push({ kind: 'string', text: str.value, pos: start });
      i = str.end;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      out.push({ kind: 'op', text: op, pos: start });
      i += op.length;
      continue;
    }
    throw new QueryError('lex', i, `unexpected character ${show(c)}`);
  }
  out.push({ kind: 'eof', text: '', pos: text.length });
  return out;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'" };

/** String contents; `''` and `\'` escape a quote. */
function lexString(text: string, open: number): { value: string; end: number } {
  let s = '';
  let i = open + 1;
  for (;;) {
    if (i >= text.length) throw new QueryError('lex', open, 'unterminated string', ["'"]);
    const c = text[i]!;
    if (c === "'") {
      if (text[i + 1] === "'") {
        s += "'";
        i += 2;
        continue;
      }
      return { value: s, end: i + 1 };
    }
    if (c === '\\') {
      const e = ESCAPES[text[i + 1] ?? ''];
      if (e === undefined) throw new QueryError('lex', i, 'unknown escape in string', Object.keys(ESCAPES));
      s += e;
      i += 2;
    } else {
      s += c;
      i++;
    }
    if (s.length > MAX_STRING)
      throw new QueryError('lex', open, `string longer than ${MAX_STRING} characters`);
  }
}
