/** Syntax tree of the query language. Positions are character offsets into the text. */

export type Expr =
  | { readonly kind: 'name'; readonly name: string; readonly pos: number }
  | { readonly kind: 'number'; readonly value: number; readonly text: string; readonly pos: number }
  | { readonly kind: 'string'; readonly value: string; readonly pos: number }
  | { readonly kind: 'star'; readonly pos: number }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly pos: number };

export type CmpOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Cond =
  | { readonly kind: 'and' | 'or'; readonly left: Cond; readonly right: Cond; readonly pos: number }
  | { readonly kind: 'not'; readonly cond: Cond; readonly pos: number }
  | {
      readonly kind: 'cmp';
      readonly op: CmpOp;
      readonly left: Expr;
      readonly right: Expr;
      readonly pos: number;
    }
  | {
      readonly kind: 'in';
      readonly negated: boolean;
      readonly left: Expr;
      readonly list: readonly Expr[];
      readonly pos: number;
    }
  | {
      readonly kind: 'like';
      readonly negated: boolean;
      readonly caseInsensitive: boolean;
      readonly left: Expr;
      readonly right: Expr;
      readonly pos: number;
    };

export interface SelectItem {
  readonly expr: Expr;
  readonly alias?: string;
  readonly pos: number;
}

export interface OrderItem {
  readonly expr: Expr;
  readonly desc: boolean;
  readonly pos: number;
}

export interface Located<T> {
  readonly value: T;
  readonly pos: number;
}

export interface SelectStmt {
  readonly kind: 'select';
  readonly items: readonly SelectItem[];
  readonly from: Located<string>;
  readonly where?: Cond;
  readonly groupBy: readonly Expr[];
  readonly having?: Cond;
  readonly orderBy: readonly OrderItem[];
  readonly limit?: Located<number>;
  readonly offset?: Located<number>;
  /** Top-N series: keep the N groups (ignoring the time bucket) with the largest first metric. */
  readonly slimit?: Located<number>;
}

export type ShowStmt =
  | { readonly kind: 'show_tables' }
  | { readonly kind: 'show_tags' | 'show_metrics'; readonly from: Located<string> }
  | {
      readonly kind: 'show_tag_values';
      readonly tag: Located<string>;
      readonly from: Located<string>;
      readonly like?: Located<string>;
      readonly limit?: Located<number>;
    };

export type Statement = SelectStmt | ShowStmt;
