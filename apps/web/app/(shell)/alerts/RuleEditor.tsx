'use client';
/** Create or edit a rule, with a live preview of its query and condition over the window. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '@/lib/trpc';
import styles from './alerts.module.css';
import { EMPTY_FORM, formToSpec, type RuleForm, specToForm } from './form';
import { Preview } from './Preview';

export function RuleEditor({
  ruleId,
  templateId,
  onDone,
}: {
  ruleId?: number;
  templateId?: string;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const existing = useQuery(
    trpc.alerts.getRule.queryOptions({ id: ruleId ?? 0 }, { enabled: ruleId !== undefined }),
  );
  const templates = useQuery(
    trpc.alerts.templates.queryOptions(undefined, { enabled: templateId !== undefined }),
  );
  const channels = useQuery(trpc.alerts.listChannels.queryOptions());
  const [form, setForm] = useState<RuleForm | undefined>(
    ruleId === undefined && !templateId ? EMPTY_FORM : undefined,
  );
  const [problems, setProblems] = useState<string[]>([]);

  useEffect(() => {
    if (form) return;
    if (existing.data) setForm(specToForm(existing.data));
    const t = templates.data?.find((x) => x.id === templateId);
    if (t) setForm(specToForm({ ...t.spec, channelIds: [], enabled: true }));
  }, [existing.data, templates.data, templateId, form]);

  const done = () => {
    void qc.invalidateQueries(trpc.alerts.listRules.queryFilter());
    onDone();
  };
  const create = useMutation(trpc.alerts.createRule.mutationOptions({ onSuccess: done }));
  const save = useMutation(trpc.alerts.updateRule.mutationOptions({ onSuccess: done }));
  const error = create.error ?? save.error;

  if (!form) return <p className="muted">Loading…</p>;
  const set = (patch: Partial<RuleForm>) => setForm({ ...form, ...patch });
  const submit = () => {
    const r = formToSpec(form);
    setProblems(r.problems);
    if (!r.spec) return;
    if (ruleId === undefined) create.mutate(r.spec);
    else save.mutate({ id: ruleId, rule: r.spec });
  };
  const threshold = Number(form.threshold);

  return (
    <div className={styles.editor}>
      <div className={styles.form}>
        <h3>{ruleId === undefined ? 'New rule' : `Edit rule #${ruleId}`}</h3>
        <label>
          Name
          <input value={form.name} onChange={(e) => set({ name: e.target.value })} data-testid="rule-name" />
        </label>
        <label>
          Query (tag columns become labels; the last column is the value)
          <textarea
            rows={4}
            value={form.query}
            onChange={(e) => set({ query: e.target.value })}
            data-testid="rule-query"
          />
        </label>
        <div className={styles.row}>
          <label>
            Condition
            <select value={form.op} onChange={(e) => set({ op: e.target.value as RuleForm['op'] })}>
              {['>', '>=', '<', '<=', '==', '!='].map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          </label>
          <label>
            Threshold
            <input
              value={form.threshold}
              onChange={(e) => set({ threshold: e.target.value })}
              data-testid="rule-threshold"
            />
          </label>
          <label>
            No data
            <select
              value={form.noData}
              onChange={(e) => set({ noData: e.target.value as RuleForm['noData'] })}
            >
              <option value="ok">is OK</option>
              <option value="alerting">alerts</option>
              <option value="keep">keeps state</option>
            </select>
          </label>
        </div>
        <div className={styles.row}>
          <label>
            For (s)
            <input value={form.forSeconds} onChange={(e) => set({ forSeconds: e.target.value })} />
          </label>
          <label>
            Window (s)
            <input value={form.windowSeconds} onChange={(e) => set({ windowSeconds: e.target.value })} />
          </label>
          <label>
            Repeat (s)
            <input value={form.repeatSeconds} onChange={(e) => set({ repeatSeconds: e.target.value })} />
          </label>
          <label>
            Severity
            <select
              value={form.severity}
              onChange={(e) => set({ severity: e.target.value as RuleForm['severity'] })}
            >
              <option>info</option>
              <option>warning</option>
              <option>critical</option>
            </select>
          </label>
        </div>
        <label>
          Group notifications by (labels, comma separated)
          <input value={form.groupBy} onChange={(e) => set({ groupBy: e.target.value })} />
        </label>
        <div className={styles.row}>
          <label>
            Labels (name=value per line)
            <textarea value={form.labels} onChange={(e) => set({ labels: e.target.value })} />
          </label>
          <label>
            Annotations (summary=… with {'{{labels.X}}'} {'{{value}}'})
            <textarea value={form.annotations} onChange={(e) => set({ annotations: e.target.value })} />
          </label>
        </div>
        <fieldset>
          <legend>Notify</legend>
          {(channels.data ?? []).map((c) => (
            <label key={c.id} style={{ flexDirection: 'row', gap: 6 }}>
              <input
                type="checkbox"
                checked={form.channelIds.includes(c.id)}
                onChange={(e) =>
                  set({
                    channelIds: e.target.checked
                      ? [...form.channelIds, c.id]
                      : form.channelIds.filter((x) => x !== c.id),
                  })
                }
              />
              {c.name} <span className="muted">({c.kind})</span>
            </label>
          ))}
          {channels.data?.length === 0 && <span className="muted">No channels yet (Channels tab).</span>}
        </fieldset>
        <label style={{ flexDirection: 'row', gap: 6 }}>
          <input
            type="checkbox"
            checked={form.enabled}
            onChange={(e) => set({ enabled: e.target.checked })}
          />
          Enabled
        </label>
        {problems.length > 0 && (
          <ul className={styles.problems} role="alert">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        {error && (
          <span className="tone-error" role="alert">
            {error.message}
          </span>
        )}
        <div className={styles.toolbar}>
          <button
            type="button"
            onClick={submit}
            disabled={create.isPending || save.isPending}
            data-testid="rule-save"
          >
            Save
          </button>
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        </div>
      </div>
      <Preview
        query={form.query}
        condition={{
          op: form.op,
          threshold: Number.isFinite(threshold) ? threshold : 0,
          noData: form.noData,
        }}
        windowSeconds={Math.max(1, Number(form.windowSeconds) || 300)}
      />
    </div>
  );
}
