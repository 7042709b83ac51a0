'use client';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

export type UrlUpdate = (mutate: (p: URLSearchParams) => void, mode?: 'push' | 'replace') => void;

/** The current search params and a way to change them; the URL is the only home of view state. */
export function useUrlParams(): [URLSearchParams, UrlUpdate] {
  const params = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const update = useCallback<UrlUpdate>(
    (mutate, mode = 'push') => {
      const draft = new URLSearchParams(params.toString());
      mutate(draft);
      const qs = draft.toString();
      const url = qs ? `${pathname}?${qs}` : pathname;
      if (mode === 'replace') router.replace(url, { scroll: false });
      else router.push(url, { scroll: false });
    },
    [params, pathname, router],
  );
  return [new URLSearchParams(params.toString()), update];
}
