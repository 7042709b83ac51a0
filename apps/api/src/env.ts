/** The API's environment, read and validated once (STYLE.md rule 3). PRODUCT.md §3.2. */
import path from 'node:path';

export interface Env {
  apiPort: number;
  dataDir: string;
  /** server mode when set; embedded chDB under dataDir otherwise */
  clickhouseUrl: string | undefined;
  /** server mode on a ClickHouse cluster: `_local` + Distributed tables, ON CLUSTER DDL */
  clickhouseCluster?: string | undefined;
  /** server mode when set; embedded SQLite under dataDir otherwise */
  mysqlUrl: string | undefined;
  adminToken: string | undefined;
  agentToken: string | undefined;
  /** origin of the web UI, for links printed at start */
  webPort: number;
  /** how often alert rules are evaluated (ZEROSCOPE_ALERT_INTERVAL_MS, default 15 s) */
  alertIntervalMs: number;
}

function port(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > 65535)
    throw new Error(`${name} must be a TCP port, got '${raw}'`);
  return n;
}

function intervalMs(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 50 || n > 3_600_000)
    throw new Error(`${name} must be milliseconds between 50 and 3600000, got '${raw}'`);
  return n;
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
  return {
    apiPort: port('ZEROSCOPE_API_PORT', source.ZEROSCOPE_API_PORT, 4000),
    webPort: port('ZEROSCOPE_WEB_PORT', source.ZEROSCOPE_WEB_PORT, 3000),
    dataDir: path.resolve(blank(source.ZEROSCOPE_DATA_DIR) ?? './data'),
    clickhouseUrl: blank(source.ZEROSCOPE_CLICKHOUSE_URL),
    clickhouseCluster: blank(source.ZEROSCOPE_CLICKHOUSE_CLUSTER),
    mysqlUrl: blank(source.ZEROSCOPE_MYSQL_URL),
    adminToken: blank(source.ZEROSCOPE_ADMIN_TOKEN),
    agentToken: blank(source.ZEROSCOPE_AGENT_TOKEN),
    alertIntervalMs: intervalMs(
      'ZEROSCOPE_ALERT_INTERVAL_MS',
      blank(source.ZEROSCOPE_ALERT_INTERVAL_MS),
      15_000,
    ),
  };
}
