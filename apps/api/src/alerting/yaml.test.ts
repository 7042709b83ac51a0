import { describe, expect, it } from 'vitest';
import { TEMPLATES } from './templates';
import type { RuleSpec } from './types';
import { exportRules, importRules, RuleFileError } from './yaml';

const channels = new Map([
  [1, 'ops-webhook'],
  [2, 'oncall-mail'],
]);
const byName = (n: string) => [...channels].find(([, v]) => v === n)?.[0];

describe('rule YAML', () => {
  it('round-trips rules, naming channels', () => {
    const rules: RuleSpec[] = TEMPLATES.slice(0, 3).map((t, i) => ({
      ...t.spec,
      channelIds: i ? [1, 2] : [],
      enabled: i !== 1,
    }));
    const text = exportRules(rules, (id) => channels.get(id));
    expect(text).toContain('- ops-webhook');
    expect(importRules(text, byName)).toEqual(rules);
  });

  it('reports every bad rule and writes nothing', () => {
    const text = `rules:
  - name: a
    query: SELECT Count(row) FROM l7_flow_log
    condition: {op: ">", threshold: 1}
    channels: [nope]
  - name: b
    query: ""
    condition: {op: "~", threshold: x}
`;
    try {
      importRules(text, byName);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(RuleFileError);
      const p = (err as RuleFileError).problems.join('\n');
      expect(p).toMatch(/rules\[0\] \(a\): unknown channel "nope"/);
      expect(p).toMatch(/rules\[1\] \(b\)\.query/);
      expect(p).toMatch(/rules\[1\] \(b\)\.condition\.op/);
    }
  });

  it('fills defaults and rejects non-YAML or a missing list', () => {
    const [r] = importRules(
      'rules:\n  - {name: x, query: "SELECT Count(row) FROM l7_flow_log", condition: {op: ">", threshold: 0}}\n',
      byName,
    );
    expect(r).toMatchObject({
      forSeconds: 0,
      windowSeconds: 300,
      severity: 'warning',
      condition: { noData: 'ok' },
      enabled: true,
    });
    expect(() => importRules('rules: [', byName)).toThrow(/not YAML/);
    expect(() => importRules('x: 1', byName)).toThrow(/rules:/);
  });
});
