/** Recursive-descent parser for the SELECT / SHOW subset. Never throws anything but QueryError. */
import type { CmpOp, Cond, Expr, Located, OrderItem, SelectItem, SelectStmt, Statement } from './ast';
import { QueryError, show } from './errors';
import { lex, type Token } from './lexer';

const RESERVED = new Set(
  'select from where group by order having limit offset slimit and or not in like ilike as asc desc show'.split(
    ' ',
  ),
);
const MAX_DEPTH = 64;
const MAX_LIST = 1000;

export function parse(text: string): Statement {
  return new Parser(lex(text)).statement();
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: Token[]) {}

  private get tok(): Token {
    return this.toks[this.i]!;
  }
  private next(): Token {
    const t = this.tok;
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private isKw(kw: string, t = this.tok): boolean {
    return t.kind === 'ident' && t.text.toLowerCase() === kw;
  }
  private acceptKw(kw: string): boolean {
    if (!this.isKw(kw)) return false;
    this.i++;
    return true;
  }
  private expectKw(...kws: string[]): void {
    for (const kw of kws) if (!this.acceptKw(kw)) this.fail([kw.toUpperCase()]);
  }
  private acceptOp(op: string): boolean {
    if (this.tok.kind !== 'op' || this.tok.text !== op) return false;
    this.i++;
    return true;
  }
  private expectOp(op: string): void {
    if (!this.acceptOp(op)) this.fail([op]);
  }
  private fail(expected: string[], what?: string): never {
    const t = this.tok;
    const got = t.kind === 'eof' ? 'end of query' : show(t.text);
    throw new QueryError('parse', t.pos, what ?? `expected ${expected.join(' or ')}, got ${got}`, expected);
  }
  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail([], `nesting deeper than ${MAX_DEPTH} levels`);
  }

  statement(): Statement {
    let s: Statement;
    if (this.acceptKw('select')) s = this.select();
    else if (this.acceptKw('show')) s = this.show();
    else this.fail(['SELECT', 'SHOW']);
    if (this.tok.kind !== 'eof') this.fail(['end of query']);
    return s;
  }

  private show(): Statement {
    if (this.acceptKw('tables')) return { kind: 'show_tables' };
    if (this.acceptKw('tags')) return { kind: 'show_tags', from: this.fromClause() };
    if (this.acceptKw('metrics')) return { kind: 'show_metrics', from: this.fromClause() };
    if (this.acceptKw('tag')) {
      const tag = this.name();
      this.expectKw('values');
      const from = this.fromClause();
      let like: Located<string> | undefined;
      if (this.acceptKw('where')) {
        this.expectKw('value', 'like');
        const t = this.next();
        if (t.kind !== 'string') this.fail(["a 'pattern'"]);
        like = { value: t.text, pos: t.pos };
      }
      const limit = this.acceptKw('limit') ? this.count() : undefined;
      return { kind: 'show_tag_values', tag, from, ...(like ? { like } : {}), ...(limit ? { limit } : {}) };
    }
    this.fail(['TABLES', 'TAGS', 'METRICS', 'TAG']);
  }

  private fromClause(): Located<string> {
    this.expectKw('from');
    return this.name();
  }

  private name(): Located<string> {
    const t = this.tok;
    if (t.kind === 'qident' || (t.kind === 'ident' && !RESERVED.has(t.text.toLowerCase()))) {
      this.i++;
      return { value: t.text, pos: t.pos };
    }
    this.fail(['a name']);
  }

  private select(): SelectStmt {
    const items = this.list(() => this.selectItem());
    const from = this.fromClause();
    const where = this.acceptKw('where') ? this.cond() : undefined;
    let groupBy: Expr[] = [];
    if (this.acceptKw('group')) {
      this.expectKw('by');
      groupBy = this.list(() => this.expr());
    }
    const having = this.acceptKw('having') ? this.cond() : undefined;
    let orderBy: OrderItem[] = [];
    if (this.acceptKw('order')) {
      this.expectKw('by');
      orderBy = this.list(() => this.orderItem());
    }
    let limit: Located<number> | undefined;
    let offset: Located<number> | undefined;
    if (this.acceptKw('limit')) {
      limit = this.count();
      if (this.acceptOp(',')) {
        offset = limit;
        limit = this.count();
      } else if (this.acceptKw('offset')) offset = this.count();
    }
    const slimit = this.acceptKw('slimit') ? this.count() : undefined;
    return {
      kind: 'select',
      items,
      from,
      groupBy,
      orderBy,
      ...(where ? { where } : {}),
      ...(having ? { having } : {}),
      ...(limit ? { limit } : {}),
      ...(offset ? { offset } : {}),
      ...(slimit ? { slimit } : {}),
    };
  }

  private list<T>(item: () => T): T[] {
    const out = [item()];
    while (this.acceptOp(',')) {
      if (out.length >= MAX_LIST) this.fail([], `lists are limited to ${MAX_LIST} items`);
      out.push(item());
    }
    return out;
  }

  private count(): Located<number> {
    const t = this.tok;
    if (t.kind !== 'number' || !/^\d{1,15}$/.test(t.text)) this.fail(['a whole number']);
    this.i++;
    return { value: Number(t.text), pos: t.pos };
  }

  private selectItem(): SelectItem {
    const pos = this.tok.pos;
    const expr = this.expr();
    if (this.acceptKw('as')) return { expr, alias: this.name().value, pos };
    const t = this.tok;
    if (t.kind === 'qident' || (t.kind === 'ident' && !RESERVED.has(t.text.toLowerCase()))) {
      return { expr, alias: this.name().value, pos };
    }
    return { expr, pos };
  }

  private orderItem(): OrderItem {
    const pos = this.tok.pos;
    const expr = this.expr();
    const desc = this.acceptKw('desc');
    if (!desc) this.acceptKw('asc');
    return { expr, desc, pos };
  }

  private expr(): Expr {
    const t = this.tok;
    if (t.kind === 'number') {
      this.i++;
      return this.number(t.text, t.pos);
    }
    if (t.kind === 'op' && t.text === '-') {
      this.i++;
      const n = this.tok;
      if (n.kind !== 'number') this.fail(['a number']);
      this.i++;
      return this.number(`-${n.text}`, t.pos);
    }
    if (t.kind === 'string') {
      this.i++;
      return { kind: 'string', value: t.text, pos: t.pos };
    }
    if (t.kind === 'op' && t.text === '*') {
      this.i++;
      return { kind: 'star', pos: t.pos };
    }
    const name = this.name();
    if (!this.acceptOp('(')) return { kind: 'name', name: name.value, pos: name.pos };
    this.enter();
    const args = this.tok.kind === 'op' && this.tok.text === ')' ? [] : this.list(() => this.expr());
    this.expectOp(')');
    this.depth--;
    return { kind: 'call', name: name.value, args, pos: name.pos };
  }

  private number(text: string, pos: number): Expr {
    const value = Number(text);
    if (!Number.isFinite(value)) throw new QueryError('parse', pos, `number ${show(text)} is out of range`);
    return { kind: 'number', value, text, pos };
  }

  private cond(): Cond {
    this.enter();
    let left = this.andCond();
    while (this.isKw('or')) {
      const pos = this.next().pos;
      left = { kind: 'or', left, right: this.andCond(), pos };
    }
    this.depth--;
    return left;
  }

  private andCond(): Cond {
    let left = this.notCond();
    while (this.isKw('and')) {
      const pos = this.next().pos;
      left = { kind: 'and', left, right: this.notCond(), pos };
    }
    return left;
  }

  private notCond(): Cond {
    if (this.isKw('not')) {
      const pos = this.next().pos;
      this.enter();
      const cond = this.notCond();
      this.depth--;
      return { kind: 'not', cond, pos };
    }
    if (this.acceptOp('(')) {
      const c = this.cond();
      this.expectOp(')');
      return c;
    }
    return this.predicate();
  }

  private predicate(): Cond {
    const pos = this.tok.pos;
    const left = this.expr();
    const negated = this.acceptKw('not');
    if (this.acceptKw('in')) {
      this.expectOp('(');
      const list = this.list(() => this.expr());
      this.expectOp(')');
      return { kind: 'in', negated, left, list, pos };
    }
    const ci = this.isKw('ilike');
    if (ci || this.isKw('like')) {
      this.i++;
      return { kind: 'like', negated, caseInsensitive: ci, left, right: this.expr(), pos };
    }
    if (negated) this.fail(['IN', 'LIKE', 'ILIKE']);
    const t = this.tok;
    const op = t.kind === 'op' ? CMP[t.text] : undefined;
    if (!op) this.fail(['=', '!=', '<', '<=', '>', '>=', 'IN', 'LIKE']);
    this.i++;
    return { kind: 'cmp', op, left, right: this.expr(), pos };
  }
}

const CMP: Record<string, CmpOp | undefined> = {
  '=': '=',
  '==': '=',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};
