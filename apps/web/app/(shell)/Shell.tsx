'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { nextTheme } from '@/lib/theme';
import {
  parseRange,
  parseRefresh,
  REFRESH_OPTIONS,
  type Refresh,
  writeRange,
  writeRefresh,
} from '@/lib/time-range';
import { useUrlParams } from '@/lib/use-url-params';
import { NAV, sharedQuery } from './nav';
import { ShareButton } from './ShareButton';
import { QueryProgress, Shortcuts, ThemeSwitch, useThemeChoice } from './ShellExtras';
import styles from './shell.module.css';
import { TimeRangePicker } from './TimeRangePicker';

async function logout() {
  await fetch('/auth/logout', { method: 'POST' }).catch(() => undefined);
  window.location.assign('/login');
}

export function Shell({ children }: { children: React.ReactNode }) {
  const pathname = usePathname();
  const [params, update] = useUrlParams();
  const range = parseRange(params);
  const refresh = parseRefresh(params);
  const carry = sharedQuery(params);
  const [theme, setTheme] = useThemeChoice();

  return (
    <div className={styles.shell}>
      <header className={styles.header}>
        <span className={styles.brand}>Zeroscope</span>
        <nav className={styles.nav} aria-label="Views">
          {NAV.map((item) =>
            item.ready ? (
              <Link
                key={item.href}
                href={item.href + carry}
                className={pathname.startsWith(item.href) ? styles.active : undefined}
                aria-current={pathname.startsWith(item.href) ? 'page' : undefined}
              >
                {item.label}
              </Link>
            ) : (
              <span key={item.href} className={styles.disabled} aria-disabled="true" title="Coming soon">
                {item.label}
              </span>
            ),
          )}
        </nav>
        <div className={styles.controls}>
          <QueryProgress />
          <TimeRangePicker value={range} onChange={(r) => update((p) => writeRange(p, r))} />
          <label className={styles.refresh}>
            <span className="muted">Auto refresh</span>
            <select
              aria-label="Auto refresh"
              value={refresh}
              onChange={(e) => update((p) => writeRefresh(p, e.target.value as Refresh), 'replace')}
            >
              {REFRESH_OPTIONS.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </label>
          <ThemeSwitch choice={theme} onChange={setTheme} />
          <ShareButton />
          <button type="button" onClick={logout}>
            Sign out
          </button>
        </div>
      </header>
      <Shortcuts carry={carry} onTheme={() => setTheme(nextTheme(theme))} />
      <main className={styles.main}>{children}</main>
    </div>
  );
}
