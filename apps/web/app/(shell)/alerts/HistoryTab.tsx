'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { parseRange, resolveRange } from '@/lib/time-range';
import { useTRPC } from '@/lib/trpc';
import { useNow } from '@/lib/use-now';
import { useUrlParams } from '@/lib/use-url-params';
import styles from './alerts.module.css';
import { formatValue } from './form';

/** Alert events in the page's time range (the shell's picker), newest first. */
export function HistoryTab() {
  const trpc = useTRPC();
  const [params, update] = useUrlParams();
  const range = parseRange(params);
  const [now] = useNow('off', JSON.stringify(range));
  const { start, end } = resolveRange(range, now);
  const ruleId = Number(params.get('hrule')) || undefined;
  const rules = useQuery(trpc.alerts.listRules.queryOptions());
  const history = useQuery(
    trpc.alerts.history.queryOptions(
      { start, end, ruleId, limit: 1000 },
      { placeholderData: keepPreviousData },
    ),
  );
  return (
    <>
      <label className={styles.toolbar}>
        Rule
        <select
          value={ruleId ?? ''}
          onChange={(e) =>
            update((p) => {
              if (e.target.value) p.set('hrule', e.target.value);
              else p.delete('hrule');
            }, 'replace')
          }
        >
          <option value="">all rules</option>
          {(rules.data ?? []).map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      {history.isError && (
        <span className="tone-error" role="alert">
          {history.error.message}
        </span>
      )}
      <table className={styles.table} data-testid="alert-history">
        <thead>
          <tr>
            <th>Time</th>
            <th>Event</th>
            <th>Rule</th>
            <th>Series</th>
            <th>Value</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {(history.data ?? []).map((e) => (
            <tr key={`${e.time}/${e.ruleId}/${e.seriesKey}/${e.type}/${e.message}`}>
              <td>{new Date(e.time).toLocaleString()}</td>
              <td
                className={
                  e.type === 'firing' ? styles.firing : e.type === 'pending' ? styles.pending : undefined
                }
              >
                {e.type}
              </td>
              <td>{e.ruleName}</td>
              <td className={styles.mono}>
                {Object.entries(e.labels)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(', ')}
              </td>
              <td>{formatValue(e.value)}</td>
              <td className="muted">{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {history.data?.length === 0 && <p className="muted">No alert events in this time range.</p>}
    </>
  );
}
