'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/lib/trpc';
import { useUrlParams } from '@/lib/use-url-params';
import styles from './alerts.module.css';
import { RuleEditor } from './RuleEditor';

export function RulesTab() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [params, update] = useUrlParams();
  const rules = useQuery(trpc.alerts.listRules.queryOptions(undefined, { refetchInterval: 5_000 }));
  const toggle = useMutation(
    trpc.alerts.updateRule.mutationOptions({
      onSuccess: () => qc.invalidateQueries(trpc.alerts.listRules.queryFilter()),
    }),
  );
  const remove = useMutation(
    trpc.alerts.deleteRule.mutationOptions({
      onSuccess: () => qc.invalidateQueries(trpc.alerts.listRules.queryFilter()),
    }),
  );
  const [yaml, setYaml] = useState<string | undefined>();
  const exported = useQuery(trpc.alerts.exportYaml.queryOptions(undefined, { enabled: yaml !== undefined }));
  const importer = useMutation(
    trpc.alerts.importYaml.mutationOptions({
      onSuccess: () => qc.invalidateQueries(trpc.alerts.listRules.queryFilter()),
    }),
  );
  const editing = params.get('rule');
  const setEditing = (id: string | undefined) =>
    update((p) => {
      if (id) p.set('rule', id);
      else {
        p.delete('rule');
        p.delete('template');
      }
    });

  if (editing)
    return (
      <RuleEditor
        ruleId={editing === 'new' ? undefined : Number(editing)}
        templateId={params.get('template') ?? undefined}
        onDone={() => setEditing(undefined)}
      />
    );

  return (
    <>
      <div className={styles.toolbar}>
        <button type="button" onClick={() => setEditing('new')} data-testid="new-rule">
          New rule
        </button>
        <button type="button" onClick={() => setYaml(yaml === undefined ? '' : undefined)}>
          YAML import / export
        </button>
      </div>
      {yaml !== undefined && (
        <div className={`${styles.panel} ${styles.form}`}>
          <label>
            Exported rules
            <textarea readOnly rows={8} value={exported.data?.yaml ?? 'Loading…'} />
          </label>
          <label>
            Import (rules with the same name are replaced)
            <textarea
              rows={8}
              value={yaml}
              onChange={(e) => setYaml(e.target.value)}
              placeholder={'rules:\n  - name: ...'}
            />
          </label>
          <div className={styles.toolbar}>
            <button
              type="button"
              disabled={!yaml.trim() || importer.isPending}
              onClick={() => importer.mutate({ yaml })}
            >
              Import
            </button>
            {importer.data && (
              <span className="muted">
                {importer.data.created} created, {importer.data.updated} updated
              </span>
            )}
            {importer.isError && (
              <span className="tone-error" role="alert">
                {importer.error.message}
              </span>
            )}
          </div>
        </div>
      )}
      {rules.isError && (
        <span className="tone-error" role="alert">
          {rules.error.message}
        </span>
      )}
      <table className={styles.table} data-testid="rules">
        <thead>
          <tr>
            <th>Rule</th>
            <th>Condition</th>
            <th>Severity</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(rules.data ?? []).map((r) => (
            <tr key={r.id} data-testid="rule-row">
              <td>
                <button type="button" className="link" onClick={() => setEditing(String(r.id))}>
                  {r.name}
                </button>
                {!r.enabled && <span className="muted"> (disabled)</span>}
                <div className={`${styles.mono} muted`}>{r.query}</div>
              </td>
              <td className={styles.mono}>
                value {r.condition.op} {r.condition.threshold} for {r.forSeconds}s over {r.windowSeconds}s
              </td>
              <td>{r.severity}</td>
              <td>
                {r.firing > 0 && <span className={styles.firing}>{r.firing} firing </span>}
                {r.pending > 0 && <span className={styles.pending}>{r.pending} pending</span>}
                {r.firing === 0 && r.pending === 0 && !r.error && <span className="muted">ok</span>}
                {r.error && (
                  <span className="tone-error" title={r.error} data-testid="rule-error">
                    query error
                  </span>
                )}
              </td>
              <td>
                <button
                  type="button"
                  onClick={() => {
                    const { id, firing: _f, pending: _p, error: _e, updatedAt: _u, ...spec } = r;
                    toggle.mutate({ id, rule: { ...spec, enabled: !r.enabled } });
                  }}
                >
                  {r.enabled ? 'Disable' : 'Enable'}
                </button>{' '}
                <button
                  type="button"
                  onClick={() => window.confirm(`Delete rule "${r.name}"?`) && remove.mutate({ id: r.id })}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rules.data?.length === 0 && (
        <p className="muted">No rules yet: start from a template or a new rule.</p>
      )}
    </>
  );
}
