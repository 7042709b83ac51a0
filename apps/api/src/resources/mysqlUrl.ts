/** Parses ZEROSCOPE_MYSQL_URL (`mysql://user:pass@host:port/database`) for both drivers. */
import { ResourceError } from './errors';

export interface MysqlTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export const DEFAULT_DATABASE = 'zeroscope';

export function parseMysqlUrl(raw: string): MysqlTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ResourceError('bad_url', `ZEROSCOPE_MYSQL_URL is not a URL: '${raw}'`);
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:')
    throw new ResourceError(
      'bad_url',
      `ZEROSCOPE_MYSQL_URL must start with mysql:// or mariadb://, got '${url.protocol}'`,
    );
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || DEFAULT_DATABASE;
  if (!/^[\w$-]{1,64}$/.test(database))
    throw new ResourceError('bad_url', `ZEROSCOPE_MYSQL_URL names an unusable database '${database}'`);
  return {
    host: url.hostname || '127.0.0.1',
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password),
    database,
  };
}
