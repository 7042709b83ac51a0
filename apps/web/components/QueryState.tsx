'use client';
/**
 * Loading, empty and error states every view shows the same way. A query still running
 * after a second says how long it has been running (progress for long queries).
 */
import { useEffect, useState } from 'react';
import styles from './ui.module.css';

interface Props {
  /** what is being loaded, e.g. "the service map" */
  what: string;
  pending: boolean;
  error: { message: string } | null | undefined;
  empty: boolean;
  /** shown when empty, e.g. "No traffic in this time range." */
  emptyText: string;
  onRetry?: () => void;
  children?: React.ReactNode;
}

export function useElapsed(running: boolean): number {
  const [s, setS] = useState(0);
  useEffect(() => {
    if (!running) return setS(0);
    const t0 = Date.now();
    const id = setInterval(() => setS(Math.floor((Date.now() - t0) / 1000)), 500);
    return () => clearInterval(id);
  }, [running]);
  return s;
}

export function QueryState({ what, pending, error, empty, emptyText, onRetry, children }: Props) {
  const elapsed = useElapsed(pending);
  if (error)
    return (
      <div className={styles.state} role="alert" data-testid="error">
        <strong className="tone-error">Could not load {what}.</strong>
        <span className="muted">{error.message}</span>
        {onRetry && (
          <button type="button" onClick={onRetry}>
            Retry
          </button>
        )}
      </div>
    );
  if (pending)
    return (
      <div className={styles.state} aria-busy="true" data-testid="loading">
        <span className={styles.spinner} aria-hidden="true" />
        <span className="muted">
          Loading {what}…{elapsed >= 1 ? ` ${elapsed} s` : ''}
        </span>
      </div>
    );
  if (empty)
    return (
      <div className={styles.state} data-testid="empty">
        <span className="muted">{emptyText}</span>
      </div>
    );
  return <>{children}</>;
}
