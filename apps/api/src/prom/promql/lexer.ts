/** PromQL tokens. Never throws past PromQLError; positions are reported in messages. */
import { PromQLError } from './ast';

export type TokKind = 'num' | 'str' | 'ident' | 'dur' | 'op' | 'eof';
export interface Tok {
  kind: TokKind;
  text: string;
  pos: number;
}

const OPS = [
  '=~',
  '!~',
  '!=',
  '==',
  '>=',
  '<=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '>',
  '<',
  '=',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ',',
];

function unquote(body: string, q: string, pos: number): string {
  if (q === '`') return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const n = body[++i];
    const simple: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      '\\': '\\',
      '"': '"',
      "'": "'",
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
    };
    if (n !== undefined && n in simple) out += simple[n];
    else if (n === 'x' || n === 'u' || n === 'U') {
      const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len)
        throw new PromQLError(`bad escape in string at ${pos}`);
      const cp = Number.parseInt(hex, 16);
      if (cp > 0x10ffff) throw new PromQLError(`bad escape in string at ${pos}`);
      out += String.fromCodePoint(cp);
      i += len;
    } else throw new PromQLError(`unknown escape '\\${n ?? ''}' in string at ${pos}`);
  }
  return out;
}

export function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (ch === '"' || ch === "'" || ch === '`') {
      i++;
      while (i < src.length && src[i] !== ch) i += src[i] === '\\' && ch !== '`' ? 2 : 1;
      if (i >= src.length) throw new PromQLError(`unterminated string at ${start}`);
      toks.push({ kind: 'str', text: unquote(src.slice(start + 1, i), ch, start), pos: start });
      i++;
      continue;
    }
    const dur = /^(\d+(ms|s|m|h|d|w|y))+/.exec(src.slice(i));
    const num = /^(0x[0-9a-fA-F]+|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)/.exec(src.slice(i));
    if (dur && (!num || dur[0].length > num[0].length)) {
      toks.push({ kind: 'dur', text: dur[0], pos: start });
      i += dur[0].length;
      continue;
    }
    if (num) {
      toks.push({ kind: 'num', text: num[0], pos: start });
      i += num[0].length;
      continue;
    }
    const id = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(src.slice(i));
    if (id) {
      toks.push({ kind: 'ident', text: id[0], pos: start });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new PromQLError(`unexpected character '${ch}' at position ${i}`);
    toks.push({ kind: 'op', text: op, pos: start });
    i += op.length;
  }
  toks.push({ kind: 'eof', text: '', pos: src.length });
  return toks;
}
