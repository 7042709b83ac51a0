'use client';
/**
 * Shell pieces beside navigation: the theme switch, the global progress bar for queries
 * in flight, and keyboard shortcuts (keys.ts) with their help overlay.
 */
import { useIsFetching } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { useElapsed } from '@/components/QueryState';
import ui from '@/components/ui.module.css';
import { nextTheme, parseTheme, resolveTheme, THEME_EVENT, THEME_KEY, type ThemeChoice } from '@/lib/theme';
import { isTypingTarget, SHORTCUT_HELP, shortcut } from './keys';

function applyTheme(choice: ThemeChoice) {
  const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = resolveTheme(choice, dark);
  try {
    if (choice === 'system') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, choice);
  } catch {}
  window.dispatchEvent(new Event(THEME_EVENT));
}

export function useThemeChoice(): [ThemeChoice, (c: ThemeChoice) => void] {
  const [choice, setChoice] = useState<ThemeChoice>('system');
  useEffect(() => {
    try {
      setChoice(parseTheme(localStorage.getItem(THEME_KEY)));
    } catch {}
  }, []);
  return [
    choice,
    (c) => {
      setChoice(c);
      applyTheme(c);
    },
  ];
}

const LABEL: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

export function ThemeSwitch({
  choice,
  onChange,
}: {
  choice: ThemeChoice;
  onChange: (c: ThemeChoice) => void;
}) {
  return (
    <button
      type="button"
      aria-label={`Theme: ${LABEL[choice]} (press t to switch)`}
      title={`Theme: ${LABEL[choice]} (t)`}
      data-testid="theme"
      onClick={() => onChange(nextTheme(choice))}
    >
      {choice === 'dark' ? '☾' : choice === 'light' ? '☀' : '◐'}
    </button>
  );
}

/** A thin bar at the top while any query runs; after 2 s it also says how long. */
export function QueryProgress() {
  const fetching = useIsFetching();
  const elapsed = useElapsed(fetching > 0);
  if (!fetching) return null;
  return (
    <>
      <div className={ui.progress} role="progressbar" aria-label="Loading" data-testid="progress" />
      {elapsed >= 2 && (
        <span className={`${ui.progressLabel} muted`} aria-live="polite">
          querying… {elapsed} s
        </span>
      )}
    </>
  );
}

export function Shortcuts({ carry, onTheme }: { carry: string; onTheme: () => void }) {
  const router = useRouter();
  const [help, setHelp] = useState(false);
  const prev = useRef<string | undefined>(undefined);
  const latest = useRef({ carry, onTheme });
  latest.current = { carry, onTheme };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setHelp(false);
      if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target as HTMLElement | null)) return;
      const a = shortcut(e.key, prev.current);
      prev.current = a.kind === 'pending' ? e.key : undefined;
      if (a.kind === 'go') router.push(a.href + latest.current.carry);
      else if (a.kind === 'search') {
        const box = document.querySelector<HTMLInputElement>('[data-search]');
        if (box) {
          e.preventDefault();
          box.focus();
        }
      } else if (a.kind === 'theme') latest.current.onTheme();
      else if (a.kind === 'help') setHelp((h) => !h);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [router]);

  if (!help) return null;
  return (
    <div
      className={ui.help}
      role="dialog"
      aria-label="Keyboard shortcuts"
      onClick={() => setHelp(false)}
      onKeyDown={() => setHelp(false)}
    >
      <div className={ui.helpBox}>
        <strong>Keyboard shortcuts</strong>
        <dl>
          {SHORTCUT_HELP.map(([k, v]) => (
            <div key={k} style={{ display: 'contents' }}>
              <dt>
                <kbd>{k}</kbd>
              </dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
        <span className="muted">Esc closes</span>
      </div>
    </div>
  );
}
