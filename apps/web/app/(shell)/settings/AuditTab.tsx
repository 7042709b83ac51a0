'use client';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/lib/trpc';
import styles from '../alerts/alerts.module.css';

export function AuditTab() {
  const trpc = useTRPC();
  const audit = useQuery(trpc.users.audit.queryOptions({ limit: 500 }));
  return (
    <table className={styles.table} data-testid="audit">
      <thead>
        <tr>
          <th>When</th>
          <th>Who</th>
          <th>What</th>
          <th>Target</th>
          <th>Detail</th>
        </tr>
      </thead>
      <tbody>
        {(audit.data ?? []).map((a) => (
          <tr key={a.id}>
            <td>{new Date(a.at).toLocaleString()}</td>
            <td>{a.actor}</td>
            <td>{a.action}</td>
            <td>{a.target}</td>
            <td className={styles.mono}>{a.detail ? JSON.stringify(a.detail) : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
