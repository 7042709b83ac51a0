/** The PromQL subset Zeroscope evaluates (PRODUCT.md §2.8): its syntax tree and its one error. */
import type { Matcher } from '../store/matchers';

export type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | VectorSelector
  | { kind: 'matrix'; vector: VectorSelector; rangeMs: number }
  | { kind: 'call'; fn: string; args: Expr[] }
  | {
      kind: 'agg';
      op: string;
      expr: Expr;
      param?: Expr;
      grouping: string[];
      without: boolean;
    }
  | {
      kind: 'binary';
      op: BinaryOp;
      lhs: Expr;
      rhs: Expr;
      /** `bool` modifier of comparisons */
      bool: boolean;
      /** on(...) when `on`, ignoring(...) otherwise; undefined = match on all labels */
      matching?: { on: boolean; labels: string[] };
    }
  | { kind: 'neg'; expr: Expr };

export interface VectorSelector {
  kind: 'vector';
  matchers: Matcher[];
  offsetMs: number;
}

export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | '=='
  | '!='
  | '>'
  | '<'
  | '>='
  | '<='
  | 'and'
  | 'or'
  | 'unless';

export const SET_OPERATORS: ReadonlySet<string> = new Set(['and', 'or', 'unless']);

export const COMPARISON: ReadonlySet<string> = new Set(['==', '!=', '>', '<', '>=', '<=']);

/** Parse and evaluation errors; `bad_data` is the Prometheus API's errorType for both. */
export class PromQLError extends Error {
  constructor(
    message: string,
    readonly errorType: 'bad_data' | 'execution' | 'timeout' = 'bad_data',
  ) {
    super(message);
    this.name = 'PromQLError';
  }
}

/** Prometheus durations: 1h30m, 5m, 10s, 250ms, 1d, 1w, 1y. */
export function parseDuration(s: string): number | undefined {
  const re = /(\d+)(ms|s|m|h|d|w|y)/gy;
  const unit: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
    w: 604_800_000,
    y: 31_536_000_000,
  };
  let total = 0;
  let at = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * unit[m[2]!]!;
    at = re.lastIndex;
  }
  return at === s.length && s.length > 0 ? total : undefined;
}
