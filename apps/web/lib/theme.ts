/**
 * Light and dark themes: the choice (`system` follows the OS) lives in localStorage, the
 * resolved theme on `<html data-theme>`, which globals.css keys its colours on. Canvas views
 * read `currentTheme()` and redraw on THEME_EVENT.
 */
export const THEMES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEMES)[number];
export type Theme = 'light' | 'dark';

export const THEME_KEY = 'zs-theme';
export const THEME_EVENT = 'zs-theme-change';

export function parseTheme(v: string | null | undefined): ThemeChoice {
  return THEMES.includes(v as ThemeChoice) ? (v as ThemeChoice) : 'system';
}

export function resolveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  return choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
}

export function nextTheme(choice: ThemeChoice): ThemeChoice {
  return THEMES[(THEMES.indexOf(choice) + 1) % THEMES.length]!;
}

/** The theme in effect in the browser (light on the server). */
export function currentTheme(): Theme {
  if (typeof document === 'undefined') return 'light';
  const set = document.documentElement.dataset.theme;
  if (set === 'dark' || set === 'light') return set;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/**
 * Runs before first paint (inline in the root layout) so a stored choice never flashes the
 * other theme. Kept as a string: it executes before any bundle loads.
 */
export const THEME_BOOT = `try{var c=localStorage.getItem('${THEME_KEY}');if(c==='light'||c==='dark')document.documentElement.dataset.theme=c}catch(e){}`;
