/** Where to go after signing in: only same-origin paths, never `//host` or absolute URLs. Pure. */
export function safeNext(raw: string | null | undefined, fallback = '/requests'): string {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return fallback;
  if (raw.startsWith('/login')) return fallback;
  return raw;
}

export function loginUrl(current: string): string {
  return `/login?next=${encodeURIComponent(current)}`;
}
