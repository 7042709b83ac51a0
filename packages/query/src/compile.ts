/** Entry point: query text + time range -> ClickHouse SQL with bound parameters. */
import { getTable, TABLES } from '@zeroscope/tags';
import type { Located } from './ast';
import { QueryError, show } from './errors';
import { type MetaResult, showCatalog, showTagValues } from './meta';
import { Params } from './params';
import { parse } from './parser';
import { Scope } from './scope';
import { compileSelect, type SelectOptions } from './select';

export interface CompileOptions {
  /** Range start, seconds since the epoch (inclusive). */
  readonly start: number;
  /** Range end, seconds since the epoch (exclusive). */
  readonly end: number;
  /** Cap on returned rows, also the LIMIT when the query has none. Default 10 000. */
  readonly maxRows?: number;
}

export interface CompiledSql {
  readonly kind: 'sql';
  /** Output columns are aliased c0, c1, ... in this order. */
  readonly sql: string;
  /** Values for the `{name:Type}` placeholders (ClickHouse query parameters). */
  readonly params: Record<string, unknown>;
  /** Display names of the output columns, in order. */
  readonly columns: string[];
}

export type CompileResult = CompiledSql | MetaResult;

export const DEFAULT_MAX_ROWS = 10_000;
const MAX_MAX_ROWS = 1_000_000;

/** Throws QueryError only. */
export function compileQuery(text: string, opts: CompileOptions): CompileResult {
  try {
    return compile(text, opts);
  } catch (e) {
    if (e instanceof QueryError) throw e;
    throw new QueryError('emit', 0, `internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function compile(text: string, opts: CompileOptions): CompileResult {
  if (typeof text !== 'string') throw new QueryError('lex', 0, 'query must be a string');
  const o = checkOptions(opts);
  const stmt = parse(text);
  const params = new Params();
  if (stmt.kind === 'show_tables') return showCatalog(stmt, undefined)!;
  const table = resolveTable(stmt.from);
  if (stmt.kind === 'select')
    return { kind: 'sql', ...compileSelect(stmt, table, params, o), params: params.values };
  const listing = showCatalog(stmt, table);
  if (listing) return listing;
  if (stmt.kind !== 'show_tag_values') throw new QueryError('emit', 0, 'internal: unhandled SHOW');
  const r = showTagValues(stmt, new Scope(table, params), params, o);
  return 'kind' in r ? r : { kind: 'sql', ...r, params: params.values };
}

function resolveTable(from: Located<string>) {
  const t = getTable(from.value);
  if (!t) {
    const names = TABLES.map((x) => x.name);
    throw new QueryError(
      'resolve',
      from.pos,
      `unknown table ${show(from.value)}; tables: ${names.join(', ')}`,
      names,
    );
  }
  return t;
}

function checkOptions(opts: CompileOptions): SelectOptions {
  const { start, end } = opts ?? ({} as CompileOptions);
  if (
    typeof start !== 'number' ||
    typeof end !== 'number' ||
    !Number.isFinite(start) ||
    !Number.isFinite(end)
  ) {
    throw new QueryError('resolve', 0, 'start and end must be finite numbers of seconds');
  }
  if (start < 0 || end < start || end > 1e11)
    throw new QueryError('resolve', 0, 'time range must satisfy 0 <= start <= end');
  const maxRows = opts.maxRows ?? DEFAULT_MAX_ROWS;
  if (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > MAX_MAX_ROWS) {
    throw new QueryError('resolve', 0, `maxRows must be an integer in 1..${MAX_MAX_ROWS}`);
  }
  return { start, end, maxRows };
}
