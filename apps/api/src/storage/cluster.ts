/**
 * The ClickHouse cluster form of the migrations (PRODUCT.md §3.4), derived from the very
 * statements the embedded and single-server modes run, so there is one definition of every
 * table. On a cluster:
 *
 * - fact tables become `<db>.<name>_local` (Replicated*MergeTree, one replica set per shard)
 *   plus `<db>.<name>`, a `Distributed` table over them, so inserts and queries keep the
 *   names the rest of the API uses;
 * - reference tables (ReplacingMergeTree id -> value tables such as the flow_tag dictionary
 *   sources, and the migration bookkeeping) are replicated whole to every node: a dictionary
 *   reads its source locally and sees every row;
 * - materialized views run on each node from a local table into a local table;
 * - every DDL statement carries `ON CLUSTER`.
 *
 * A statement of a shape this does not know is an error, never passed through half-done.
 */

export class ClusterDdlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterDdlError';
  }
}

const NAME = String.raw`([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)`;
const IF_NOT_EXISTS = String.raw`(?:IF\s+NOT\s+EXISTS\s+)?`;
const ENGINE_RE = /ENGINE\s*=\s*([A-Za-z]*)MergeTree\b(\s*\(([^)]*)\))?/;
const CLUSTER_RE = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Databases whose tables are bookkeeping, replicated to every node. */
const EVERYWHERE_DATABASES = new Set(['zeroscope', 'flow_tag']);

export const localName = (qualified: string): string => `${qualified}_local`;

/** Tracks which tables are sharded while a migration list is rewritten in order. */
export class ClusterDdl {
  private readonly sharded = new Set<string>();

  constructor(readonly cluster: string) {
    if (!CLUSTER_RE.test(cluster)) throw new ClusterDdlError(`invalid cluster name '${cluster}'`);
  }

  isSharded(qualified: string): boolean {
    return this.sharded.has(qualified);
  }

  /** The cluster statements for one single-node statement (one or two). */
  rewrite(sql: string): string[] {
    const s = sql.trim();
    const on = `ON CLUSTER ${this.quote()}`;
    let m = new RegExp(String.raw`^CREATE\s+DATABASE\s+${IF_NOT_EXISTS}([A-Za-z_][A-Za-z0-9_]*)`, 'i').exec(
      s,
    );
    if (m) return [`${m[0]} ${on}${s.slice(m[0].length)}`];

    m = new RegExp(String.raw`^CREATE\s+TABLE\s+${IF_NOT_EXISTS}${NAME}`, 'i').exec(s);
    if (m) return this.createTable(s, m[0], `${m[1]}.${m[2]}`, m[1]!);

    m = new RegExp(String.raw`^CREATE\s+MATERIALIZED\s+VIEW\s+${IF_NOT_EXISTS}${NAME}`, 'i').exec(s);
    if (m) {
      if (!/\sTO\s/i.test(s)) throw new ClusterDdlError(`materialized view without TO: ${head(s)}`);
      return [`${m[0]} ${on}${this.toLocal(s.slice(m[0].length))}`];
    }

    m = new RegExp(String.raw`^CREATE\s+(?:OR\s+REPLACE\s+)?DICTIONARY\s+${IF_NOT_EXISTS}${NAME}`, 'i').exec(
      s,
    );
    if (m) return [`${m[0]} ${on}${s.slice(m[0].length)}`];

    m = new RegExp(String.raw`^ALTER\s+TABLE\s+${NAME}`, 'i').exec(s);
    if (m) return this.alterTable(s, m[0], `${m[1]}.${m[2]}`);

    m = new RegExp(String.raw`^DROP\s+(TABLE|VIEW|DICTIONARY)\s+(IF\s+EXISTS\s+)?${NAME}`, 'i').exec(s);
    if (m) {
      const name = `${m[3]}.${m[4]}`;
      const out = [`${m[0]} ${on}${s.slice(m[0].length)}`];
      // A table this history never made (e.g. a leftover copy) may still exist in either form.
      const maybeSharded = m[1]!.toUpperCase() === 'TABLE' && !!m[2] && !EVERYWHERE_DATABASES.has(m[3]!);
      if (this.sharded.delete(name) || maybeSharded) out.push(`${m[0].replace(name, localName(name))} ${on}`);
      return out;
    }

    m = new RegExp(String.raw`^EXCHANGE\s+TABLES\s+${NAME}\s+AND\s+${NAME}\s*$`, 'i').exec(s);
    if (m) {
      const a = `${m[1]}.${m[2]}`;
      const b = `${m[3]}.${m[4]}`;
      if (this.sharded.has(a) !== this.sharded.has(b))
        throw new ClusterDdlError(`cannot exchange a sharded and a replicated table: ${a}, ${b}`);
      // Distributed tables name their local tables: swapping the locals swaps the data.
      if (this.sharded.has(a)) return [`EXCHANGE TABLES ${localName(a)} AND ${localName(b)} ${on}`];
      return [`${s} ${on}`];
    }

    // Writes run once, through the Distributed table; a copy between tables waits for the
    // shards to have its rows, so what follows (an EXCHANGE) sees all of them.
    m = new RegExp(String.raw`^INSERT\s+INTO\s+${NAME}`, 'i').exec(s);
    if (m) {
      if (this.sharded.has(`${m[1]}.${m[2]}`) && /^\s*SELECT\s/i.test(s.slice(m[0].length)))
        return [`${m[0]} SETTINGS insert_distributed_sync = 1${s.slice(m[0].length)}`];
      return [s];
    }
    throw new ClusterDdlError(`no cluster form for statement: ${head(s)}`);
  }

  /** Every statement of a list, in order. */
  rewriteAll(statements: readonly string[]): string[] {
    return statements.flatMap((s) => this.rewrite(s));
  }

  private quote(): string {
    return this.cluster.includes('-') ? `'${this.cluster}'` : this.cluster;
  }

  private createTable(s: string, head0: string, name: string, db: string): string[] {
    const on = `ON CLUSTER ${this.quote()}`;
    const engine = ENGINE_RE.exec(s);
    if (!engine) throw new ClusterDdlError(`table ${name} has no MergeTree engine`);
    const family = engine[1] ?? '';
    const args = engine[3]?.trim();
    const everywhere = EVERYWHERE_DATABASES.has(db) || family === 'Replacing';
    // {shard} keeps one replica set per shard; reference tables share one path cluster-wide.
    const path = everywhere
      ? `'/clickhouse/tables/all/{database}/{table}'`
      : `'/clickhouse/tables/{shard}/{database}/{table}'`;
    const replicated = `ENGINE = Replicated${family}MergeTree(${[path, `'{replica}'`, ...(args ? [args] : [])].join(', ')})`;
    // `CREATE TABLE x AS y ENGINE ...` copies y's columns and indexes: those of y's data table.
    const body = this.toLocal(s.slice(head0.length)).replace(ENGINE_RE, replicated);
    if (everywhere) return [`${head0} ${on}${body}`];
    this.sharded.add(name);
    const local = localName(name);
    const [, localTable] = local.split('.');
    return [
      `${head0.replace(name, local)} ${on}${body}`,
      `${head0} ${on} AS ${local} ENGINE = Distributed(${this.quote()}, ${db}, ${localTable}, rand())`,
    ];
  }

  private alterTable(s: string, head0: string, name: string): string[] {
    const on = `ON CLUSTER ${this.quote()}`;
    const rest = s.slice(head0.length);
    if (!this.sharded.has(name)) return [`${head0} ${on}${rest}`];
    const local = `${head0.replace(name, localName(name))} ${on}${rest}`;
    // Column changes apply to the Distributed table too; indexes, TTL, settings and codecs
    // (a Distributed table stores nothing) only to the data.
    const column =
      /^\s*(ADD|DROP|MODIFY|RENAME|COMMENT)\s+COLUMN\b/i.test(rest) && !/\bCODEC\s*\(/i.test(rest);
    return column ? [local, `${head0} ${on}${rest}`] : [local];
  }

  /** Names of sharded tables inside a view body -> their local tables. */
  private toLocal(body: string): string {
    let out = body;
    for (const name of this.sharded) {
      const re = new RegExp(`(?<![A-Za-z0-9_.])${name.replace('.', '\\.')}(?![A-Za-z0-9_])`, 'g');
      out = out.replace(re, localName(name));
    }
    return out;
  }
}

const head = (s: string) => s.slice(0, 80).replace(/\s+/g, ' ');
