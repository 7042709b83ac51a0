import { Suspense } from 'react';
import { LoginForm } from './LoginForm';
import styles from './login.module.css';

export const metadata = { title: 'Sign in · Zeroscope' };

export default function LoginPage() {
  return (
    <main className={styles.page}>
      <Suspense>
        <LoginForm />
      </Suspense>
    </main>
  );
}
