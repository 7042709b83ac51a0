'use client';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useRef } from 'react';

/** How long a pushed URL may take to show up in the params before it is forgotten. */
const PENDING_MS = 2000;

export type UrlUpdate = (mutate: (p: URLSearchParams) => void, mode?: 'push' | 'replace') => void;

/** The current search params and a way to change them; the URL is the only home of view state. */
export function useUrlParams(): [URLSearchParams, UrlUpdate] {
  const params = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  // Navigation lands a moment after push(): a second change before then must build on the
  // first, not on the params this render still shows.
  const pending = useRef<{ qs: string; at: number } | undefined>(undefined);
  const current = params.toString();
  if (pending.current && (pending.current.qs === current || Date.now() - pending.current.at > PENDING_MS))
    pending.current = undefined;
  const update = useCallback<UrlUpdate>(
    (mutate, mode = 'push') => {
      const draft = new URLSearchParams(pending.current?.qs ?? current);
      mutate(draft);
      const qs = draft.toString();
      pending.current = { qs, at: Date.now() };
      const url = qs ? `${pathname}?${qs}` : pathname;
      if (mode === 'replace') router.replace(url, { scroll: false });
      else router.push(url, { scroll: false });
    },
    [current, pathname, router],
  );
  return [new URLSearchParams(params.toString()), update];
}
