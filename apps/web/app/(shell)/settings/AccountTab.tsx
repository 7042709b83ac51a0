'use client';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/lib/trpc';
import styles from '../alerts/alerts.module.css';

export function AccountTab() {
  const trpc = useTRPC();
  const change = useMutation(trpc.users.changePassword.mutationOptions());
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  return (
    <div className={`${styles.panel} ${styles.form}`} style={{ maxWidth: 420 }}>
      <label>
        Current password
        <input type="password" value={current} onChange={(e) => setCurrent(e.target.value)} />
      </label>
      <label>
        New password (8+)
        <input type="password" value={next} onChange={(e) => setNext(e.target.value)} />
      </label>
      <button
        type="button"
        onClick={() => change.mutate({ current, next })}
        disabled={!current || next.length < 8}
      >
        Change password
      </button>
      {change.isSuccess && <span className="muted">Changed; other sessions were signed out.</span>}
      {change.isError && (
        <span className="tone-error" role="alert">
          {change.error.message}
        </span>
      )}
    </div>
  );
}
