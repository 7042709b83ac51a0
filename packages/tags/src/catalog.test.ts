import { FLOW_LOG_COLUMNS, REQUEST_LOG_COLUMNS, TAG_ID_COLUMNS } from '@zeroscope/wire/columns';
import { METRIC_COLUMNS, METRIC_TABLES } from '@zeroscope/wire/metrics';
import { PROFILE_COLUMNS } from '@zeroscope/wire/profile';
import { describe, expect, it } from 'vitest';
import { findMetric, findTag, getTable, TABLES } from './catalog';
import type { TagDef } from './types';

const physical: Record<string, Set<string>> = {
  l7_flow_log: new Set(REQUEST_LOG_COLUMNS.map((c) => c.name)),
  l4_flow_log: new Set(FLOW_LOG_COLUMNS.map((c) => c.name)),
  // + ip_1: stored (always '::') for the auto tags' ip arm, apps/api migration 005
  profile: new Set([...PROFILE_COLUMNS.map((c) => c.name), 'ip_1']),
  ...Object.fromEntries(
    METRIC_TABLES.flatMap((t) =>
      ['1s', '1m', '1h', '1d'].map((r) => [`${t}.${r}`, new Set(METRIC_COLUMNS[t].map((c) => c.name))]),
    ),
  ),
};

function columnsOf(t: TagDef): string[] {
  const s = t.source;
  switch (s.kind) {
    case 'column':
    case 'seconds':
      return [s.column];
    case 'resource':
    case 'custom':
      return [s.idColumn];
    case 'auto':
      return [s.idColumn, s.typeColumn, s.ipColumn];
    case 'either':
      return [...columnsOf(s.ends[0]), ...columnsOf(s.ends[1])];
  }
}

describe.each(TABLES.map((t) => [t.name, t] as const))('catalog of %s', (name, table) => {
  const cols = physical[name]!;

  it('reads only physical columns of the table', () => {
    for (const t of table.tags) for (const c of columnsOf(t)) expect(cols, `${t.name} -> ${c}`).toContain(c);
    expect(cols).toContain(table.timeColumn);
  });

  it('has unique tag and metric names, none shadowing each other', () => {
    const names = [
      ...table.tags.flatMap((t) => [t.name, ...(t.aliases ?? [])]),
      ...table.metrics.map((m) => m.name),
    ];
    expect(new Set(names).size).toBe(names.length);
  });

  it('exposes every tag id column as a tag', () => {
    // server-side metric tables (application, network) carry the `_1` ids only
    for (const c of TAG_ID_COLUMNS.filter((c) => cols.has(c.name)))
      expect(findTag(table, c.name)?.name, c.name).toBe(c.name);
    expect(TAG_ID_COLUMNS.filter((c) => cols.has(c.name)).length).toBeGreaterThanOrEqual(
      TAG_ID_COLUMNS.length / 2,
    );
  });

  it('has metric expressions over physical columns only', () => {
    for (const m of table.metrics) {
      if (m.ratio) {
        expect(findMetric(table, m.ratio.numerator)?.type).toBe('counter');
        expect(findMetric(table, m.ratio.denominator)?.type).toBe('counter');
        continue;
      }
      const idents = (m.expr ?? '').replace(/'[^']*'/g, '').match(/[a-z_][a-z0-9_]*/gi) ?? [];
      for (const id of idents)
        if (!['toUInt64', 'IN'].includes(id)) expect(cols, `${m.name}: ${id}`).toContain(id);
    }
  });
});

describe('findTag', () => {
  const l7 = getTable('l7_flow_log')!;
  it('resolves both ends and the either-end form', () => {
    expect(findTag(l7, 'pod_0')?.source).toMatchObject({
      kind: 'resource',
      resource: 'pod',
      idColumn: 'pod_id_0',
    });
    const either = findTag(l7, 'auto_service')!;
    expect(either.source.kind).toBe('either');
    expect(findTag(l7, 'process_1')?.name).toBe('gprocess_1');
  });
  it('builds custom tags with their full dictionary key', () => {
    expect(findTag(l7, 'k8s.label.app_1')?.source).toMatchObject({
      kind: 'custom',
      key: 'k8s.label.app',
      idColumn: 'pod_id_1',
    });
    expect(findTag(l7, 'k8s.annotation.app.kubernetes.io/name')?.source.kind).toBe('either');
    expect(findTag(l7, 'os.env.LANG_0')?.source).toMatchObject({ resource: 'gprocess', key: 'os.env.LANG' });
    // process.env.* is another spelling of os.env.*: same dictionary key
    expect(findTag(l7, 'process.env.ZEROSCOPE_TAG_team_1')?.source).toMatchObject({
      kind: 'custom',
      resource: 'gprocess',
      key: 'os.env.ZEROSCOPE_TAG_team',
      idColumn: 'gprocess_id_1',
    });
  });
  it('rejects unknown names and bad custom keys', () => {
    expect(findTag(l7, 'nope')).toBeUndefined();
    expect(findTag(l7, "k8s.label.a'b")).toBeUndefined();
    expect(findTag(l7, 'k8s.label.')).toBeUndefined();
    expect(findTag(l7, 'byte_tx')).toBeUndefined();
  });
});
