/**
 * Keyboard shortcuts of the shell: `g` then a letter goes to a view, `/` focuses the view's
 * search box, `t` cycles the theme, `?` shows the list. Pure: a key sequence -> an action.
 */
export const GO_KEYS: Record<string, string> = {
  r: '/requests',
  m: '/map',
  t: '/traces',
  p: '/profiles',
  n: '/network',
  s: '/services',
  a: '/alerts',
  o: '/resources',
};

export type ShortcutAction =
  | { kind: 'go'; href: string }
  | { kind: 'search' }
  | { kind: 'theme' }
  | { kind: 'help' }
  | { kind: 'pending' }
  | { kind: 'none' };

/** `prev` is the previous key when it was a prefix (`g`), else undefined. */
export function shortcut(key: string, prev: string | undefined): ShortcutAction {
  if (prev === 'g') {
    const href = GO_KEYS[key.toLowerCase()];
    return href ? { kind: 'go', href } : { kind: 'none' };
  }
  if (key === 'g') return { kind: 'pending' };
  if (key === '/') return { kind: 'search' };
  if (key === 't') return { kind: 'theme' };
  if (key === '?') return { kind: 'help' };
  return { kind: 'none' };
}

/** Typing in a field never triggers shortcuts. */
export function isTypingTarget(el: { tagName?: string; isContentEditable?: boolean } | null): boolean {
  if (!el) return false;
  return el.isContentEditable === true || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName ?? '');
}

export const SHORTCUT_HELP: [string, string][] = [
  ['g r / g m / g n / g s / g o', 'Requests / Map / Network / Services / Resources'],
  ['g t / g p / g a', 'Traces / Profiles / Alerts'],
  ['/', 'search in the current view'],
  ['t', 'switch theme (system → light → dark)'],
  ['↑ ↓ / Enter', 'move in lists and tables / open'],
  ['Esc', 'close the panel or this help'],
];
