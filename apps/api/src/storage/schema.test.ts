import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
