'use client';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/lib/trpc';
import styles from './alerts.module.css';
import { formatValue } from './form';

export function StatesTab() {
  const trpc = useTRPC();
  const states = useQuery(trpc.alerts.states.queryOptions(undefined, { refetchInterval: 5_000 }));
  const rows = states.data ?? [];
  return (
    <>
      {states.isError && (
        <span className="tone-error" role="alert">
          {states.error.message}
        </span>
      )}
      <table className={styles.table} data-testid="alert-states">
        <thead>
          <tr>
            <th>State</th>
            <th>Rule</th>
            <th>Series</th>
            <th>Value</th>
            <th>Since</th>
            <th>Notified</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={`${s.ruleId}/${s.seriesKey}`}>
              <td className={s.state === 'firing' ? styles.firing : styles.pending}>{s.state}</td>
              <td>
                {s.ruleName} <span className="muted">{s.severity}</span>
              </td>
              <td className={styles.mono}>
                {Object.entries(s.labels)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(', ')}
              </td>
              <td>{formatValue(s.value)}</td>
              <td>{new Date(s.since).toLocaleString()}</td>
              <td>{s.notifiedAt ? new Date(s.notifiedAt).toLocaleTimeString() : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && !states.isPending && <p className="muted">Nothing is firing or pending.</p>}
    </>
  );
}
