'use client';
import { useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { safeNext } from '@/lib/login-redirect';
import styles from './login.module.css';

async function errorMessage(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { message?: string };
    if (body.message) return body.message;
  } catch {}
  if (res.status === 401) return 'Wrong username or password';
  return res.status >= 500
    ? `The API is not answering (HTTP ${res.status})`
    : `Sign-in failed (HTTP ${res.status})`;
}

export function LoginForm() {
  const router = useRouter();
  const next = safeNext(useSearchParams().get('next'));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch('/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: form.get('username'), password: form.get('password') }),
      });
      if (!res.ok) {
        setError(await errorMessage(res));
        return;
      }
      router.replace(next);
    } catch {
      setError('Cannot reach the API');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className={styles.card} method="post" action="/auth/login" onSubmit={submit}>
      <h1 className={styles.title}>Zeroscope</h1>
      <label className={styles.field}>
        <span>Username</span>
        <input name="username" autoComplete="username" defaultValue="admin" required />
      </label>
      <label className={styles.field}>
        <span>Password</span>
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
      <button className="primary" type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
