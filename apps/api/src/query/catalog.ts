/**
 * Catalog listings and tag-value autocomplete for the UI. Listings come from the tag catalog
 * directly; tag values go through the query language (SHOW TAG ... VALUES) so they share its
 * whitelist, bound parameters and limits.
 */
import { getTable, listTags, TABLES } from '@zeroscope/tags';
import { QueryApiError } from './errors';
import type { QueryResult, QueryService } from './service';

export const TABLE_NAMES = TABLES.map((t) => t.name) as [string, ...string[]];

function table(name: string) {
  const t = getTable(name);
  if (!t) throw new QueryApiError(400, 'query_resolve', `unknown table '${name}'`, 0, TABLE_NAMES);
  return t;
}

export const listTables = () => TABLES.map((t) => ({ name: t.name, description: t.description }));

export const listTableTags = (name: string) => listTags(table(name));

export const listTableMetrics = (name: string) =>
  table(name).metrics.map((m) => ({ name: m.name, type: m.type, unit: m.unit, description: m.description }));

/** A string literal of the query language: `\` and `'` escaped. */
const literal = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export interface TagValuesInput {
  table: string;
  tag: string;
  /** Substring the values must contain. */
  search?: string;
  limit?: number;
  start: number;
  end: number;
}

/** Values of one tag seen in [start, end) (or known, for resource tags), most frequent first. */
export function tagValues(service: QueryService, input: TagValuesInput): Promise<QueryResult> {
  table(input.table);
  const where = input.search ? ` WHERE value LIKE ${literal(`%${input.search}%`)}` : '';
  const limit = input.limit ? ` LIMIT ${Math.floor(input.limit)}` : '';
  const sql = `SHOW TAG \`${input.tag}\` VALUES FROM ${input.table}${where}${limit}`;
  return service.run({ sql, start: input.start, end: input.end });
}
