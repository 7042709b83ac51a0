'use client';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/lib/trpc';
import styles from './alerts.module.css';

export function TemplatesTab({ onUse }: { onUse: (id: string) => void }) {
  const trpc = useTRPC();
  const templates = useQuery(trpc.alerts.templates.queryOptions());
  return (
    <table className={styles.table} data-testid="templates">
      <thead>
        <tr>
          <th>Template</th>
          <th>Category</th>
          <th>Condition</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {(templates.data ?? []).map((t) => (
          <tr key={t.id}>
            <td>
              {t.title}
              <div className="muted">{t.spec.description}</div>
            </td>
            <td>{t.category}</td>
            <td className={styles.mono}>
              {t.spec.condition.op} {t.spec.condition.threshold} for {t.spec.forSeconds}s
            </td>
            <td>
              <button type="button" onClick={() => onUse(t.id)}>
                Use
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
