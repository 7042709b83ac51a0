'use client';
/** Live preview: the rule's query over its window now, each series marked when it breaches. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '@/lib/trpc';
import styles from './alerts.module.css';
import { formatValue, type RuleSpec } from './form';

export function Preview({
  query,
  condition,
  windowSeconds,
}: {
  query: string;
  condition: RuleSpec['condition'];
  windowSeconds: number;
}) {
  const trpc = useTRPC();
  // typing pauses before the query runs
  const [debounced, setDebounced] = useState(query);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(query), 400);
    return () => clearTimeout(t);
  }, [query]);
  const preview = useQuery(
    trpc.alerts.preview.queryOptions(
      { query: debounced, condition, windowSeconds },
      {
        enabled: debounced.trim().length > 0,
        placeholderData: keepPreviousData,
        refetchInterval: 15_000,
        retry: false,
      },
    ),
  );
  const series = preview.data?.series ?? [];
  const breaching = series.filter((s) => s.breach).length;

  return (
    <div className={styles.panel} data-testid="rule-preview">
      <h3>Preview (last {windowSeconds}s)</h3>
      {preview.isError ? (
        <span className="tone-error" role="alert">
          {preview.error.message}
        </span>
      ) : preview.isPending ? (
        <span className="muted">Running…</span>
      ) : (
        <>
          <p data-testid="preview-summary">
            {series.length} series, {breaching} would {condition.op} {condition.threshold}
          </p>
          <table className={styles.table}>
            <thead>
              <tr>
                <th>Series</th>
                <th>Value</th>
              </tr>
            </thead>
            <tbody>
              {series.map((s) => (
                <tr key={s.key}>
                  <td className={styles.mono}>{s.key || '(all)'}</td>
                  <td className={s.breach ? styles.breach : undefined}>{formatValue(s.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
