/**
 * PromQL subset parser (recursive descent, precedence climbing): selectors with = != =~ !~,
 * range selectors and offset, function calls, aggregations with by/without, and arithmetic
 * and comparison operators with bool / on / ignoring. Anything else is a clear PromQLError.
 */
import { type Matcher, MatcherError, type MatchOp, matcher, matches } from '../store/matchers';
import { type BinaryOp, type Expr, PromQLError, parseDuration, type VectorSelector } from './ast';
import { FUNCTIONS } from './functions';
import { lex, type Tok } from './lexer';

export const AGGREGATIONS = new Set([
  'sum',
  'avg',
  'min',
  'max',
  'count',
  'topk',
  'bottomk',
  'group',
  'stddev',
  'stdvar',
  'quantile',
]);
const PREC: Record<string, number> = {
  '==': 2,
  '!=': 2,
  '>': 2,
  '<': 2,
  '>=': 2,
  '<=': 2,
  '+': 3,
  '-': 3,
  '*': 4,
  '/': 4,
  '%': 4,
  '^': 5,
};
const UNSUPPORTED_OPS = new Set(['atan2']);
/** Set operators (keywords): `or` binds loosest, then `and` / `unless`. */
const SET_PREC: Record<string, number> = { or: 0, and: 1, unless: 1 };
const MAX_DEPTH = 64;

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(o = 0): Tok {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)]!;
  }
  private next(): Tok {
    return this.toks[Math.min(this.i++, this.toks.length - 1)]!;
  }
  private isOp(text: string, o = 0): boolean {
    const t = this.peek(o);
    return t.kind === 'op' && t.text === text;
  }
  private expect(text: string): void {
    const t = this.next();
    if (t.kind !== 'op' || t.text !== text)
      throw new PromQLError(`expected '${text}' at position ${t.pos}, found '${t.text || 'end of input'}'`);
  }

  parse(): Expr {
    const e = this.expr(0);
    const t = this.peek();
    if (t.kind !== 'eof') throw new PromQLError(`unexpected '${t.text}' at position ${t.pos}`);
    return e;
  }

  private expr(minPrec: number): Expr {
    if (++this.depth > MAX_DEPTH) throw new PromQLError('expression nested too deeply');
    let lhs = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'ident' && UNSUPPORTED_OPS.has(t.text.toLowerCase()))
        throw new PromQLError(`operator '${t.text}' is not supported`);
      const prec = t.kind === 'op' ? PREC[t.text] : t.kind === 'ident' ? SET_PREC[t.text] : undefined;
      if (prec === undefined || prec < minPrec) break;
      this.next();
      let bool = false;
      if (this.peek().kind === 'ident' && this.peek().text === 'bool') {
        this.next();
        bool = true;
      }
      let matching: { on: boolean; labels: string[] } | undefined;
      const m = this.peek();
      if (m.kind === 'ident' && (m.text === 'on' || m.text === 'ignoring')) {
        this.next();
        matching = { on: m.text === 'on', labels: this.labelList() };
      }
      const g = this.peek();
      if (g.kind === 'ident' && (g.text === 'group_left' || g.text === 'group_right'))
        throw new PromQLError(`${g.text} (many-to-one matching) is not supported`);
      const rhs = this.expr(t.text === '^' ? prec : prec + 1);
      lhs = { kind: 'binary', op: t.text as BinaryOp, lhs, rhs, bool, matching };
    }
    this.depth--;
    return lhs;
  }

  private unary(): Expr {
    if (this.isOp('-') || this.isOp('+')) {
      const neg = this.next().text === '-';
      const e = this.expr(5);
      if (!neg) return e;
      return e.kind === 'number' ? { kind: 'number', value: -e.value } : { kind: 'neg', expr: e };
    }
    return this.postfix(this.primary());
  }

  private postfix(e: Expr): Expr {
    let out = e;
    if (this.isOp('[')) {
      const at = this.next().pos;
      if (out.kind !== 'vector')
        throw new PromQLError(`range can only follow a vector selector (position ${at})`);
      const d = this.next();
      if (this.peek().text.startsWith(':')) throw new PromQLError('subqueries are not supported');
      const ms = d.kind === 'dur' ? parseDuration(d.text) : undefined;
      if (!ms) throw new PromQLError(`bad range duration '${d.text}' at position ${d.pos}`);
      this.expect(']');
      out = { kind: 'matrix', vector: out, rangeMs: ms };
    }
    if (this.peek().kind === 'ident' && this.peek().text === 'offset') {
      this.next();
      let neg = 1;
      if (this.isOp('-')) {
        this.next();
        neg = -1;
      }
      const d = this.next();
      const ms = d.kind === 'dur' ? parseDuration(d.text) : undefined;
      if (ms === undefined) throw new PromQLError(`bad offset '${d.text}' at position ${d.pos}`);
      const sel = out.kind === 'matrix' ? out.vector : out.kind === 'vector' ? out : undefined;
      if (!sel) throw new PromQLError('offset must follow a selector');
      sel.offsetMs = neg * ms;
    }
    return out;
  }

  private primary(): Expr {
    const t = this.next();
    if (t.kind === 'num') return { kind: 'number', value: Number(t.text) };
    if (t.kind === 'str') return { kind: 'string', value: t.text };
    if (t.kind === 'op' && t.text === '(') {
      const e = this.expr(0);
      this.expect(')');
      return e;
    }
    if (t.kind === 'op' && t.text === '{') return this.selector(undefined, t.pos);
    if (t.kind === 'ident') {
      const low = t.text.toLowerCase();
      if (low === 'inf' || low === 'nan')
        return { kind: 'number', value: low === 'inf' ? Infinity : Number.NaN };
      if (AGGREGATIONS.has(t.text) && (this.isOp('(') || ['by', 'without'].includes(this.peek().text)))
        return this.aggregation(t.text);
      if (this.isOp('(')) {
        if (!FUNCTIONS.has(t.text)) throw new PromQLError(`unknown or unsupported function '${t.text}'`);
        this.next();
        const args = this.isOp(')') ? [] : this.args();
        this.expect(')');
        return { kind: 'call', fn: t.text, args };
      }
      if (this.isOp('{')) {
        this.next();
        return this.selector(t.text, t.pos);
      }
      return this.selector(t.text, t.pos, true);
    }
    throw new PromQLError(`unexpected '${t.text || 'end of input'}' at position ${t.pos}`);
  }

  private args(): Expr[] {
    const out = [this.expr(0)];
    while (this.isOp(',')) {
      this.next();
      out.push(this.expr(0));
    }
    return out;
  }

  private aggregation(op: string): Expr {
    let grouping: string[] = [];
    let without = false;
    let grouped = false;
    const modifier = () => {
      const k = this.peek();
      if (k.kind === 'ident' && (k.text === 'by' || k.text === 'without')) {
        this.next();
        without = k.text === 'without';
        grouping = this.labelList();
        grouped = true;
      }
    };
    modifier();
    this.expect('(');
    const args = this.args();
    this.expect(')');
    if (!grouped) modifier();
    const wantsParam = op === 'topk' || op === 'bottomk' || op === 'quantile';
    if (args.length !== (wantsParam ? 2 : 1))
      throw new PromQLError(`${op} takes ${wantsParam ? 2 : 1} argument(s), got ${args.length}`);
    return wantsParam
      ? { kind: 'agg', op, param: args[0], expr: args[1]!, grouping, without }
      : { kind: 'agg', op, expr: args[0]!, grouping, without };
  }

  private labelList(): string[] {
    this.expect('(');
    const out: string[] = [];
    while (!this.isOp(')')) {
      const t = this.next();
      if (t.kind !== 'ident') throw new PromQLError(`expected a label name at position ${t.pos}`);
      out.push(t.text);
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expect(')');
    return out;
  }

  private selector(name: string | undefined, pos: number, bare = false): VectorSelector {
    const ms: Matcher[] = [];
    if (name !== undefined) ms.push(matcher('__name__', '=', name));
    if (!bare) {
      while (!this.isOp('}')) {
        const l = this.next();
        if (l.kind !== 'ident') throw new PromQLError(`expected a label name at position ${l.pos}`);
        const op = this.next();
        if (op.kind !== 'op' || !['=', '!=', '=~', '!~'].includes(op.text))
          throw new PromQLError(`expected a label matcher operator at position ${op.pos}`);
        const v = this.next();
        if (v.kind !== 'str') throw new PromQLError(`expected a quoted label value at position ${v.pos}`);
        try {
          ms.push(matcher(l.text, op.text as MatchOp, v.text));
        } catch (err) {
          throw new PromQLError(err instanceof MatcherError ? err.message : String(err));
        }
        if (!this.isOp(',')) break;
        this.next();
      }
      this.expect('}');
    }
    if (ms.every((m) => matches([], [m])))
      throw new PromQLError(`vector selector at position ${pos} must contain at least one non-empty matcher`);
    return { kind: 'vector', matchers: ms, offsetMs: 0 };
  }
}

export function parsePromQL(src: string): Expr {
  if (src.length > 16_384) throw new PromQLError('query longer than 16384 characters');
  return new Parser(lex(src)).parse();
}

/** `match[]` parameters of the series/labels APIs are bare selectors. */
export function parseSelector(src: string): Matcher[] {
  const e = parsePromQL(src);
  if (e.kind !== 'vector') throw new PromQLError(`'${src.slice(0, 80)}' is not a series selector`);
  return e.matchers;
}
