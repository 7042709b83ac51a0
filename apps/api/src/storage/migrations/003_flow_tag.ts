/**
 * The flow_tag dictionaries queries decode resource ids with (@zeroscope/tags contract,
 * PRODUCT.md §2.5). Each reads a ClickHouse table `flow_tag.<dictionary>_src` that the tag
 * sync fills from the resource store; ReplacingMergeTree so a re-synced row replaces the old.
 */
import { DICTIONARIES, type DictionarySpec, dictionaryDdl } from '@zeroscope/tags';
import type { Migration } from './types';

export const sourceTable = (d: DictionarySpec): string => `${d.name}_src`;

function sourceDdl(d: DictionarySpec): string {
  const cols = [...d.keys, ...d.attributes].map((c) => `\`${c.name}\` ${c.type}`).join(', ');
  const keys = d.keys.map((c) => c.name).join(', ');
  return `CREATE TABLE IF NOT EXISTS ${sourceTable(d)} (${cols}) ENGINE = ReplacingMergeTree ORDER BY (${keys})`;
}

/** A ClickHouse string literal. */
const literal = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * A ClickHouse server reads a dictionary's CLICKHOUSE source as user `default` with no
 * password unless told otherwise, which fails wherever that user is protected or removed
 * (the server image with CLICKHOUSE_USER/PASSWORD, any hardened install). In server mode the
 * dictionaries are therefore re-created at every start with the API's own credentials, so a
 * rotated password takes effect on restart. Servers hide the password in SHOW CREATE.
 */
export function dictionariesWithCredentials(user: string, password: string): string[] {
  const auth = `USER ${literal(user)} PASSWORD ${literal(password)}`;
  return DICTIONARIES.map((d) =>
    dictionaryDdl(
      d,
      `CLICKHOUSE(DB 'flow_tag' TABLE '${sourceTable(d).split('.')[1]}' ${auth})`,
      '60',
    ).replace(/^CREATE DICTIONARY IF NOT EXISTS /, 'CREATE OR REPLACE DICTIONARY '),
  );
}

export const migration003: Migration = {
  version: 3,
  name: 'flow_tag dictionaries',
  statements: DICTIONARIES.flatMap((d) => [
    sourceDdl(d),
    dictionaryDdl(d, `CLICKHOUSE(DB 'flow_tag' TABLE '${sourceTable(d).split('.')[1]}')`, '60'),
  ]),
};
