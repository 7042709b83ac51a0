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

export const migration003: Migration = {
  version: 3,
  name: 'flow_tag dictionaries',
  statements: DICTIONARIES.flatMap((d) => [
    sourceDdl(d),
    dictionaryDdl(d, `CLICKHOUSE(DB 'flow_tag' TABLE '${sourceTable(d).split('.')[1]}')`, '60'),
  ]),
};
