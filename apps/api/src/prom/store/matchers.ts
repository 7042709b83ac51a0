/** Label matchers (=, !=, =~, !~) over label sets; regexes are fully anchored as in PromQL. */
import type { Labels } from '../series';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
  /** compiled, anchored, for =~ / !~ */
  re?: RegExp;
}

export class MatcherError extends Error {}

/** Builds a matcher; throws MatcherError on an invalid regex (callers report it as bad_data). */
export function matcher(name: string, op: MatchOp, value: string): Matcher {
  if (op !== '=~' && op !== '!~') return { name, op, value };
  try {
    return { name, op, value, re: new RegExp(`^(?:${value})$`, 's') };
  } catch (err) {
    throw new MatcherError(`invalid regex '${value}': ${err instanceof Error ? err.message : String(err)}`);
  }
}

function get(labels: Labels, name: string): string {
  for (const [n, v] of labels) if (n === name) return v;
  return '';
}

/** A missing label matches as the empty string (PromQL semantics). */
export function matches(labels: Labels, ms: readonly Matcher[]): boolean {
  for (const m of ms) {
    const v = get(labels, m.name);
    switch (m.op) {
      case '=':
        if (v !== m.value) return false;
        break;
      case '!=':
        if (v === m.value) return false;
        break;
      case '=~':
        if (!m.re!.test(v)) return false;
        break;
      case '!~':
        if (m.re!.test(v)) return false;
        break;
    }
  }
  return true;
}

/** The metric name an equality matcher pins, if any. */
export function pinnedName(ms: readonly Matcher[]): string | undefined {
  return ms.find((m) => m.name === '__name__' && m.op === '=')?.value;
}
