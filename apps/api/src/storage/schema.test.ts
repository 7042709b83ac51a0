import { readFileSync, writeFileSync } from 'node:fs';
import { queryBind } from 'chdb';
import { describe, expect, it } from 'vitest';
import { ClusterDdl, ClusterDdlError } from './cluster';
import { migrationPlan } from './migrate';
import { MIGRATIONS } from './migrations';
import { L4_FLOW_LOG, L7_FLOW_LOG } from './migrations/002_flow_log';
import { clickhouseType, createTableSql } from './schema';

// Regenerate after an intended change with UPDATE_GOLDEN=1, then review the diff.
function golden(name: string, actual: string): void {
  const file = new URL(`./golden/${name}.sql`, import.meta.url);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual + '\n');
  expect(actual + '\n').toBe(readFileSync(file, 'utf8'));
}

describe('ClickHouse DDL from the shared column lists', () => {
  it('maps column types', () => {
    expect(clickhouseType({ name: 'start_time', type: 'u64' })).toBe('DateTime64(6)');
    expect(clickhouseType({ name: 'flow_id', type: 'u64' })).toBe('UInt64');
    expect(clickhouseType({ name: 'l7_protocol', type: 'lowcard' })).toBe('LowCardinality(String)');
    expect(clickhouseType({ name: 'ip_0', type: 'ip' })).toBe('IPv6');
    expect(clickhouseType({ name: 'attribute_names', type: 'strings' })).toBe('Array(String)');
    expect(clickhouseType({ name: 'response_code', type: 'i64' })).toBe('Int64');
  });

  it('flow_log.l7_flow_log', () => golden('l7_flow_log', createTableSql(L7_FLOW_LOG)));
  it('flow_log.l4_flow_log', () => golden('l4_flow_log', createTableSql(L4_FLOW_LOG)));
});

/** ClickHouse's own parser (chDB): formatQuery fails on any statement it cannot parse. */
function parse(sql: string): string {
  return queryBind('SELECT formatQuery({q:String}) AS f', { q: sql }, 'JSONEachRow').trim();
}

describe('every table of PRODUCT.md §3.4', () => {
  const plan = migrationPlan(MIGRATIONS);
  const creates = plan.migrations
    .flatMap((m) => m.statements)
    .filter((s) => /^CREATE TABLE/.test(s) && /ENGINE = MergeTree/.test(s));

  it('fact tables: MergeTree ordered by time first, hourly (or coarser) partitions, TTL, ttl_only_drop_parts', () => {
    expect(creates.length).toBeGreaterThanOrEqual(8);
    for (const s of creates) {
      const name = /CREATE TABLE IF NOT EXISTS (\S+)/.exec(s)![1];
      expect(s, name).toMatch(/ORDER BY \((toStartOf\w+\()?(start_time|time)\b/);
      expect(s, name).toMatch(/PARTITION BY toStartOf(Hour|Day)\((start_time|time)/);
      expect(s, name).toMatch(/TTL toDateTime\((start_time|time)\) \+ INTERVAL \d+ DAY/);
      expect(s, name).toMatch(/ttl_only_drop_parts = 1/);
    }
  });

  it('bloom-filter skip indexes on trace_id, x_request_id_*, request_resource, endpoint', () => {
    const l7 = createTableSql(L7_FLOW_LOG);
    for (const c of ['trace_id', 'x_request_id_0', 'x_request_id_1', 'request_resource', 'endpoint'])
      expect(l7).toContain(`INDEX idx_${c} \`${c}\` TYPE bloom_filter`);
  });
});

describe('cluster variant (_local + Distributed, ON CLUSTER) of every migration', () => {
  const plan = migrationPlan(MIGRATIONS, { cluster: 'zs_cluster' });
  const all = [...plan.meta, ...plan.migrations.flatMap((m) => m.statements)];

  it('parses with ClickHouse', () => {
    for (const s of all) expect(() => parse(s), s.slice(0, 120)).not.toThrow();
  });

  it('puts every DDL statement on the cluster and every table on a replicated engine', () => {
    for (const s of all) {
      if (/^INSERT/.test(s)) continue;
      expect(s, s.slice(0, 80)).toMatch(/ON CLUSTER zs_cluster/);
      if (/^CREATE TABLE/.test(s)) expect(s).toMatch(/ENGINE = (Replicated\w*MergeTree\(|Distributed\()/);
    }
  });

  it('shards fact tables behind Distributed tables of the same name', () => {
    const single = migrationPlan(MIGRATIONS).migrations.flatMap((m) => m.statements);
    const factTables = single
      .filter((s) => /^CREATE TABLE/.test(s) && /ENGINE = (MergeTree|AggregatingMergeTree)/.test(s))
      .map((s) => /CREATE TABLE IF NOT EXISTS (\S+)/.exec(s)![1]!);
    expect(factTables).toContain('flow_log.l7_flow_log');
    for (const t of factTables) {
      const [db, name] = t.split('.');
      expect(all).toContainEqual(
        expect.stringMatching(new RegExp(`^CREATE TABLE IF NOT EXISTS ${t}_local ON CLUSTER`)),
      );
      expect(all).toContainEqual(
        `CREATE TABLE IF NOT EXISTS ${t} ON CLUSTER zs_cluster AS ${t}_local ENGINE = Distributed(zs_cluster, ${db}, ${name}_local, rand())`,
      );
    }
    // dictionary sources stay whole on every node; views read and write local tables
    expect(all).not.toContainEqual(expect.stringMatching(/flow_tag\.\w+_local/));
    for (const v of all.filter((s) => /^CREATE MATERIALIZED VIEW/.test(s))) {
      expect(v).toMatch(/ TO flow_metrics\.\w+_local AS/);
      expect(v).toMatch(/FROM flow_metrics\.\w+_1m_local/);
    }
    // index changes go to the data (local) tables
    for (const a of all.filter((s) => /^ALTER TABLE flow_log\.l7_flow_log\b/.test(s)))
      expect(a).toMatch(/^ALTER TABLE flow_log\.l7_flow_log_local ON CLUSTER/);
  });

  it('rebuilds a sharded table on every shard (migration 016)', () => {
    const m16 = plan.migrations.find((m) => m.migration.version === 16)!.statements;
    expect(m16).toContainEqual(
      expect.stringMatching(/^DROP TABLE IF EXISTS flow_log\.l7_flow_log_v016_local ON CLUSTER/),
    );
    // the copy takes columns and skip indexes from the data table, not the Distributed one
    expect(m16).toContainEqual(
      expect.stringMatching(
        /^CREATE TABLE IF NOT EXISTS flow_log\.l7_flow_log_v016_local ON CLUSTER zs_cluster AS flow_log\.l7_flow_log_local\s+ENGINE = ReplicatedMergeTree/,
      ),
    );
    expect(m16).toContainEqual(
      'INSERT INTO flow_log.l7_flow_log_v016 SETTINGS insert_distributed_sync = 1 SELECT * FROM flow_log.l7_flow_log',
    );
    expect(m16).toContainEqual(
      'EXCHANGE TABLES flow_log.l7_flow_log_local AND flow_log.l7_flow_log_v016_local ON CLUSTER zs_cluster',
    );
    for (const a of m16.filter((s) => /^ALTER/.test(s)))
      expect(a).toMatch(/^ALTER TABLE flow_log\.l7_flow_log_v016_local /);
  });

  it('flow_log.l7_flow_log on a cluster', () => {
    const ddl = new ClusterDdl('zs_cluster');
    golden('l7_flow_log.cluster', ddl.rewrite(createTableSql(L7_FLOW_LOG)).join(';\n\n'));
  });

  it('rejects statements it has no cluster form for, and bad cluster names', () => {
    expect(() => new ClusterDdl('zs_cluster').rewrite('OPTIMIZE TABLE flow_log.l7_flow_log FINAL')).toThrow(
      ClusterDdlError,
    );
    expect(() => new ClusterDdl("x'; DROP")).toThrow(ClusterDdlError);
  });
});
