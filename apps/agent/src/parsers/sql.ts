/**
 * SQL text helpers shared by the MySQL and PostgreSQL parsers: the command word
 * (request_type) and a cheap `COMMAND table` endpoint, from the first tokens only.
 */

export const MAX_SQL = 2048;

const TABLE_AFTER: Record<string, string> = {
  SELECT: 'FROM',
  DELETE: 'FROM',
  INSERT: 'INTO',
  REPLACE: 'INTO',
  UPDATE: '',
  DESC: '',
  DESCRIBE: '',
  TRUNCATE: 'TABLE?',
  CREATE: 'TABLE',
  DROP: 'TABLE',
  ALTER: 'TABLE',
};

/** Strips leading whitespace, `(` and SQL comments. */
function skipLeading(sql: string): string {
  let s = sql;
  for (let i = 0; i < 8; i++) {
    s = s.replace(/^[\s(]+/, '');
    if (s.startsWith('/*')) {
      const end = s.indexOf('*/');
      s = end < 0 ? '' : s.slice(end + 2);
    } else if (s.startsWith('--') || s.startsWith('#')) {
      const end = s.indexOf('\n');
      s = end < 0 ? '' : s.slice(end + 1);
    } else break;
  }
  return s;
}

/** The first SQL keyword, upper-cased (`SELECT`, `INSERT`, ...); '' when none. */
export function sqlCommand(sql: string): string {
  const m = /^[A-Za-z]+/.exec(skipLeading(sql.slice(0, 512)));
  return m ? m[0].toUpperCase() : '';
}

const unquote = (name: string): string => name.replace(/[`"[\]]/g, '');

/** `COMMAND table` for the common statements, '' when the table is not in the first tokens. */
export function sqlEndpoint(sql: string): string {
  const tokens = skipLeading(sql.slice(0, 1024)).split(/[\s,;()]+/, 64);
  const command = (tokens[0] ?? '').toUpperCase();
  const after = TABLE_AFTER[command];
  if (after === undefined) return '';
  let i = 1;
  if (after === 'TABLE?') {
    if (tokens[1]?.toUpperCase() === 'TABLE') i = 2;
  } else if (after !== '') {
    while (i < tokens.length && tokens[i]!.toUpperCase() !== after) i++;
    i++;
  } else if (command === 'UPDATE' && /^(LOW_PRIORITY|IGNORE)$/i.test(tokens[1] ?? '')) i = 2;
  if (after === 'TABLE') {
    if (tokens[1]?.toUpperCase() !== 'TABLE') return '';
    i = 2;
    while (/^(IF|NOT|EXISTS|TEMPORARY)$/i.test(tokens[i] ?? '')) i++;
  }
  const table = tokens[i];
  if (table === undefined || table === '' || table.startsWith('$') || table === '?') return '';
  return `${command} ${unquote(table)}`;
}

export const boundSql = (sql: string): string => (sql.length > MAX_SQL ? sql.slice(0, MAX_SQL) : sql);
